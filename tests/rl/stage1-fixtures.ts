// Shared inputs of the stage-1 tests: the frozen vocabulary, the tiny CI settings, and a
// stage-0 warm start made by the trainer itself on the CPU (seeded, so every test file that
// asks gets the same weights).
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { validateSettings, type TrainSettings } from '../../src/rl/config/schema';
import { loadVocabFile } from '../../src/rl/data/vocab-node';
import type { Vocab } from '../../src/text/vocab';
import type { UpdateMetrics } from '../../src/rl/metrics';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { train, type TrainResult } from '../../src/rl/trainer';

let vocab: Vocab | null = null;

export function shippedVocab(): Vocab {
  vocab ??= loadVocabFile();
  return vocab;
}

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
  let final: CheckpointState | null = null;
  await train({
    be: new CpuBackend(),
    settings,
    stage: 0,
    vocab: shippedVocab(),
    updates,
    saveCheckpoint: async (kind, _update, state) => {
      if (kind === 'final') final = state;
    },
  });
  if (!final) throw new Error('warmStart: the SFT run saved no final checkpoint');
  return final;
}

export interface Stage1Run {
  result: TrainResult;
  metrics: UpdateMetrics[];
}

/** `updates` stage-1 updates from `init` on `be`. */
export async function stage1(
  be: Backend,
  settings: TrainSettings,
  init: CheckpointState,
  updates: number,
  evaluateAtStart = false,
): Promise<Stage1Run> {
  const metrics: UpdateMetrics[] = [];
  const result = await train({
    be,
    settings,
    stage: 1,
    vocab: shippedVocab(),
    init,
    updates,
    evaluateAtStart,
    onMetrics: (m) => metrics.push(m),
  });
  return { result, metrics };
}

/** The update's own metrics: no wall-clock fields (no two runs share them), no evaluation. */
export function withoutTiming(m: UpdateMetrics): Partial<UpdateMetrics> {
  const { elapsed: _e, tokensPerSecond: _t, updatesPerSecond: _u, evaluation: _v, ...rest } = m;
  return rest;
}
