// What crosses the worker boundary for the agent viewer and the GRPO explainer: plain data
// only (observations are plain objects; the page renders their pixels itself).
import type { BackendKind } from '../../kernels/backend';
import type { Observation } from '../../envs/types';
import type { AgentTrace, GroupExplanation } from '../../rl/inspect';
import type { RewardSettings } from '../../rl/reward/settings';

/** Which weights are being inspected, in words the page can show as they are. */
export interface WeightsInfo {
  /**
   * 'shipped' stage-0 checkpoint, a stored 'run' checkpoint, 'random' (untrained), or an
   * imported 'onnx' planner file (plays episodes only).
   */
  kind: 'shipped' | 'run' | 'random' | 'onnx';
  /** E.g. "shipped stage-0 checkpoint" or "run 'quick demo', stage 1 update 40". */
  label: string;
  /** Why these and not others (e.g. the shipped checkpoint is missing). */
  note: string | null;
  horizon: number;
  params: number;
  /** What computes the forecasts: our backend, or onnxruntime-web for an ONNX planner. */
  backend: BackendKind | 'onnxruntime-wasm';
}

export interface AgentRequest {
  template: string;
  seed: number;
  /** Forecast horizon: 1 is the reactive agent, 'model' the planner's own H. */
  H: number | 'model';
  /** 0 = greedy. */
  temperature: number;
  /** Step budget (default: the oracle's length plus a few). */
  maxSteps?: number;
  reward?: Partial<RewardSettings>;
}

export interface AgentResult {
  trace: AgentTrace;
  /** Which grounder resolved the clicks (the stand-in says so). */
  grounder: string;
  weights: WeightsInfo;
}

export interface ExplainRequest {
  template: string;
  seed: number;
  /** Oracle steps already executed before the prompt (0 = the task's start). */
  t: number;
  G: number;
  temperature: number;
  lr: number;
  clipEps: number;
  beta: number;
  /** Draw another group for the same prompt. */
  sample: number;
  reward?: Partial<RewardSettings>;
}

export interface ExplainResult {
  explanation: GroupExplanation;
  instruction: string;
  /** The prompt's position in the oracle episode, and the episode's length. */
  t: number;
  steps: number;
  /** The reference forecast, in the action language. */
  reference: string;
  /** The screen the prompt shows. */
  obs: Observation;
  weights: WeightsInfo;
}
