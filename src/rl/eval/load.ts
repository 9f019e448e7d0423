// A checkpoint as an agent to evaluate: the planner rebuilt from the checkpoint's own config
// and vocabulary (so any checkpoint loads, whatever the frozen vocabulary is now), its
// parameters restored, a KV-cache sampler, and the receding-horizon agent around them.
import type { Backend } from '../../kernels/backend';
import { Rng } from '../../rng';
import { PlannerForecaster, type PlannerAgent, plannerAgent } from '../agent';
import { textMatchGrounder, type Grounder } from '../agent/grounding';
import { restoreCheckpoint, type CheckpointState } from '../model/checkpoint';
import { Planner } from '../model/planner';
import { Sampler, type SampleSettings } from '../model/sample';

export interface CheckpointAgentOptions {
  be: Backend;
  /** Horizon the agent keeps (default: the checkpoint's; 1 = reactive). */
  H?: number;
  /** Prompts per sampler call (the planner's batch size; default 16). */
  batch?: number;
  /** Default: the text-match stand-in until the frozen grounder's runner lands. */
  grounder?: Grounder;
  /** Default greedy decoding. */
  sampling?: SampleSettings;
  seed?: number;
}

export interface CheckpointAgent {
  agent: PlannerAgent;
  forecaster: PlannerForecaster;
  planner: Planner;
  release(): void;
}

export function checkpointAgent(
  state: CheckpointState,
  opts: CheckpointAgentOptions,
): CheckpointAgent {
  const batch = opts.batch ?? 16;
  const planner = new Planner(opts.be, state.config, state.vocab.size, batch);
  restoreCheckpoint(planner, state);
  const sampler = new Sampler(planner, state.vocab);
  const forecaster = new PlannerForecaster(
    planner,
    sampler,
    state.vocab,
    new Rng(opts.seed ?? 0),
    opts.sampling,
  );
  const H = opts.H ?? state.config.horizon;
  const stage = state.meta?.stage;
  const name = `planner${stage === undefined ? '' : ` stage ${String(stage)}`} H=${H}`;
  const agent = plannerAgent(forecaster, opts.grounder ?? textMatchGrounder, { H, name, batch });
  return {
    agent,
    forecaster,
    planner,
    release() {
      sampler.release();
      planner.release();
    },
  };
}
