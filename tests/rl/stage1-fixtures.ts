// Shared inputs of the stage-1 tests: the frozen vocabulary, the tiny CI settings, and a
// stage-0 warm start made by the trainer itself on the CPU (seeded, so every test file that
// asks gets the same weights).
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { validateSettings, type TrainSettings } from '../../src/rl/config/schema';
import type { Vocab } from '../../src/text/vocab';
import type { UpdateMetrics } from '../../src/rl/metrics';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { runStage, type StageRun } from './learning-fixtures';
import { frozenVocab } from './train-fixtures';

/** public/models/vocab.json (the one copy of train-fixtures.ts). */
export const shippedVocab: () => Vocab = frozenVocab;

/** ci-tiny with overrides (nested groups), validated. */
export function tinySettings(
  overrides: Record<string, Record<string, unknown>> = {},
): TrainSettings {
  return validateSettings({ preset: 'ci-tiny', ...overrides });
}

/** The final weights of a stage-0 run of `updates` SFT updates on the CPU. */
export async function warmStart(
  settings: TrainSettings,
  updates: number,
): Promise<CheckpointState> {
  return (await runStage(new CpuBackend(), settings, 0, undefined, updates)).final;
}

export type Stage1Run = Omit<StageRun, 'final'>;

/** `updates` stage-1 updates from `init` on `be`. */
export function stage1(
  be: Backend,
  settings: TrainSettings,
  init: CheckpointState,
  updates: number,
  evaluateAtStart = false,
): Promise<Stage1Run> {
  return runStage(be, settings, 1, init, updates, evaluateAtStart);
}

/** The update's own metrics: no wall-clock fields (no two runs share them), no evaluation. */
export function withoutTiming(m: UpdateMetrics): Partial<UpdateMetrics> {
  const { elapsed: _e, tokensPerSecond: _t, updatesPerSecond: _u, evaluation: _v, ...rest } = m;
  return rest;
}
