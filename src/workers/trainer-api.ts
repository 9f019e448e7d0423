// What crosses the trainer worker's boundary: plain data and transferred buffers only. The
// worker (trainer.worker.ts) owns the backend, the planner and the loop; the page
// (src/ui/state/train.svelte.ts) owns the run history and the charts.
import type { Evaluation } from '../rl/stage-types';
import type { Stage, UpdateMetrics } from '../rl/metrics';
import type { TrainSettings } from '../rl/config/schema';
import type { GpuInfo } from '../kernels/runtime/device';
import type { BackendKind } from '../kernels/backend';
import type { BackendDecision } from '../kernels/choice';

/** Which backend trains, and why (a CPU fallback says what was missing). */
export interface BackendReport {
  kind: BackendKind;
  /** The adapter's description, "WebAssembly SIMD, 1 thread" or "CPU reference". */
  description: string;
  /** True for a software adapter (SwiftShader): correct, but slow. */
  software: boolean;
  info?: GpuInfo;
  /** Set when WebGPU was asked for but the wasm backend runs instead. */
  fallbackReason?: string;
  /** What was asked for, what was measured, and why this backend runs. */
  decision: BackendDecision;
}

export type RunState =
  | 'idle'
  | 'starting'
  | 'running'
  | 'pausing'
  | 'paused'
  | 'stopped'
  | 'finished'
  | 'failed'
  /** The GPU device was lost: paused at the last checkpoint, resumable on a new device. */
  | 'device-lost';

export interface TrainerStatus {
  state: RunState;
  /** The stage being trained (or paused in); null before a run. */
  stage: Stage | null;
  /** Updates completed in that stage. */
  update: number;
  /** Updates that stage is set to run. */
  updates: number;
  /** The stages this run goes through, in order (e.g. [1, 2] from the shipped checkpoint). */
  plan: Stage[];
  /** A plain-language note: why the run stopped, failed, or skipped a stage. */
  message: string | null;
  backend: BackendReport | null;
}

/** A checkpoint handed to the page for the run history; `bytes` is transferred. */
export interface CheckpointMessage {
  stage: Stage;
  update: number;
  kind: 'start' | 'periodic' | 'interval' | 'final' | 'save';
  bytes: ArrayBuffer;
}

/** Callbacks the page passes once (as one comlink proxy); the worker calls them. */
export interface TrainerEvents {
  /** Metrics in small batches, at most every METRICS_INTERVAL_MS (and on pause/stop/end). */
  metrics(batch: UpdateMetrics[]): void;
  /** Always after the metrics up to its update were sent, so history never has gaps. */
  checkpoint(c: CheckpointMessage): void | Promise<void>;
  status(s: TrainerStatus): void;
}

export const METRICS_INTERVAL_MS = 200;

/** Where the run begins. */
export type StartFrom =
  /** Fresh, at `stage`; stage ≥ 1 starts from the shipped stage-0 checkpoint when it fits. */
  | { kind: 'fresh'; stage: Stage | 'auto' }
  /** Continue a stored run: its latest checkpoint and the start checkpoint of that stage. */
  | { kind: 'resume'; checkpoint: ArrayBuffer; start: ArrayBuffer };

export interface StartResult {
  plan: Stage[];
  /** Planned updates per stage (0 for stages outside the plan). */
  planned: [number, number, number];
  settings: TrainSettings;
  backend: BackendReport;
  /** E.g. why the run starts at stage 0 although stage 1 was asked for. */
  note: string | null;
}

/** What load() found in a checkpoint file. */
export interface CheckpointSummary {
  stage: Stage | null;
  update: number | null;
  step: number;
  params: number;
  settings: TrainSettings | null;
}

export type { Evaluation };
