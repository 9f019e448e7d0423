// The shared setup of the learning tests (stage1-learning, stage2) and of the determinism pin:
// the stage-0 checkpoints they start from, the backend they train on, and a run of any
// stage that hands back its metrics, its result and its final weights.
import type { Backend } from '../../src/kernels/backend';
import { WasmBackend } from '../../src/kernels/wasm';
import type { TrainSettings } from '../../src/rl/config/schema';
import type { UpdateMetrics } from '../../src/rl/metrics';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { loadCheckpointFile } from '../../src/rl/model/checkpoint-node';
import type { Stage } from '../../src/rl/stage-list';
import { train, type TrainResult } from '../../src/rl/trainer';
import { frozenVocab } from './train-fixtures';

/** The shipped stage-0 checkpoint (the quick-demo shape, public/models/stage0.json). */
export function shippedStage0(): Promise<CheckpointState> {
  return loadCheckpointFile('public/models/stage0.bin', { vocab: frozenVocab() });
}

/**
 * A weak stage-0 planner in the same shape: the recipe of public/models/stage0.json stopped at
 * 300 updates (from scratch, with the vocabulary of label marks). The learning tests start
 * here because a few GRPO updates have room to show: from the shipped planner (greedy held-out
 * trajectory reward 0.86) twenty stage-1 updates of 16 forecasts moved the greedy reward by
 * −0.028 (lr 3e-4), +0.001 (1e-4) and +0.001 (3e-5), inside the noise of 32 prompts.
 */
export function weakStage0(): Promise<CheckpointState> {
  return loadCheckpointFile('tests/fixtures/stage0-300-updates.bin', { vocab: frozenVocab() });
}

/** The fast CPU path on one thread: deterministic, and what CI's machine trains on. */
export function learningBackend(): Promise<Backend> {
  return WasmBackend.create({ threads: 1 });
}

export interface StageRun {
  result: TrainResult;
  metrics: UpdateMetrics[];
  /** The weights after the last update (the run's 'final' checkpoint). */
  final: CheckpointState;
}

/** `updates` updates of `stage` on `be`, from `init` (fresh weights when absent). */
export async function runStage(
  be: Backend,
  settings: TrainSettings,
  stage: Stage,
  init: CheckpointState | undefined,
  updates: number,
  evaluateAtStart = false,
): Promise<StageRun> {
  const metrics: UpdateMetrics[] = [];
  let final: CheckpointState | null = null;
  const result = await train({
    be,
    settings,
    stage,
    vocab: frozenVocab(),
    init,
    updates,
    evaluateAtStart,
    onMetrics: (m) => metrics.push(m),
    saveCheckpoint: async (kind, _update, state) => {
      if (kind === 'final') final = state;
    },
    // A clock that never moves: no checkpoints every checkpointSeconds, so the work of a run
    // does not depend on how loaded the machine is.
    now: () => 0,
  });
  if (!final) throw new Error(`runStage: stage ${stage} saved no final checkpoint`);
  return { result, metrics, final };
}
