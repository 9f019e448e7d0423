// Exact resume: train 8 updates straight; train 4, stop, save → bytes → load, continue to 8
// (4 and 2 on WebGPU);
// the parameters and AdamW moments must be bit-identical, on the CPU and on WebGPU (each
// compared with itself). Resuming refuses other settings or another stage, naming them.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import type { TrainSettings } from '../../src/rl/config';
import type { UpdateMetrics } from '../../src/rl/metrics';
import {
  CHECKPOINT_REGIONS,
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointState,
} from '../../src/rl/model/checkpoint';
import { sftStage } from '../../src/rl/sft';
import { ResumeMismatchError, train, type TrainOptions } from '../../src/rl/trainer';
import { getGpuBackend } from '../kernels/gpu';
import { frozenVocab, tinySettings } from './train-fixtures';

/** Updates of the uninterrupted run, and where the interrupted one stops. */
interface Plan {
  updates: number;
  stopAt: number;
}
const CPU_PLAN: Plan = { updates: 8, stopAt: 4 };
// SwiftShader is slow: a shorter run on WebGPU.
const GPU_PLAN: Plan = { updates: 4, stopAt: 2 };

interface Run {
  saved: Map<string, CheckpointState>;
  losses: number[];
}

/** A run of `updates`, stopped after `stopAt` if given; its checkpoints and losses. */
async function runOnce(
  be: Backend,
  settings: TrainSettings,
  updates: number,
  opts: { stopAt?: number; resume?: CheckpointState; start?: CheckpointState } = {},
) {
  const run: Run = { saved: new Map(), losses: [] };
  const stop = new AbortController();
  await train({
    be,
    settings,
    stage: 0,
    vocab: frozenVocab(),
    updates,
    signal: stop.signal,
    resume: opts.resume,
    start: opts.start,
    onMetrics: (m: UpdateMetrics) => {
      run.losses[m.update] = m.loss;
      if (m.update === opts.stopAt) stop.abort();
    },
    // Through the bytes, as a file would carry them.
    saveCheckpoint: async (kind, update, state) => {
      run.saved.set(`${kind}@${update}`, decodeCheckpoint(encodeCheckpoint(state)));
    },
  });
  return run;
}

function expectBitIdentical(a: CheckpointState, b: CheckpointState): void {
  expect(b.step).toBe(a.step);
  for (const region of CHECKPOINT_REGIONS) {
    for (const [name, values] of a.tensors[region]) {
      const other = b.tensors[region].get(name)!;
      const bitsA = new Uint32Array(values.buffer, values.byteOffset, values.length);
      const bitsB = new Uint32Array(other.buffer, other.byteOffset, other.length);
      expect(bitsA.length).toBe(bitsB.length);
      expect(
        bitsA.every((x, i) => x === bitsB[i]),
        `${region}/${name}`,
      ).toBe(true);
    }
  }
}

async function expectExactResume(be: Backend, plan: Plan): Promise<void> {
  const { updates, stopAt } = plan;
  const settings = tinySettings({ run: { evalSize: 4 } });
  const straight = await runOnce(be, settings, updates);
  const stopped = await runOnce(be, settings, updates, { stopAt });
  expect([...stopped.saved.keys()]).toEqual(['start@0', `final@${stopAt}`]);
  const resumed = await runOnce(be, settings, updates, {
    resume: stopped.saved.get(`final@${stopAt}`),
    start: stopped.saved.get('start@0'),
  });
  expect(resumed.losses.slice(stopAt + 1)).toEqual(straight.losses.slice(stopAt + 1));
  expect(stopped.losses.slice(1, stopAt + 1)).toEqual(straight.losses.slice(1, stopAt + 1));
  expectBitIdentical(
    straight.saved.get(`final@${updates}`)!,
    resumed.saved.get(`final@${updates}`)!,
  );
  // Training moved the parameters (the comparison is not between two initialisations).
  expect(straight.losses[updates]).toBeLessThan(straight.losses[1]);
}

describe('exact resume', () => {
  it('continues bit for bit on the CPU backend', async () => {
    await expectExactResume(new CpuBackend(), CPU_PLAN);
  });

  it('continues bit for bit on the WebGPU backend', async () => {
    await expectExactResume(await getGpuBackend(), GPU_PLAN);
  });

  it('refuses other settings or another stage, naming them', async () => {
    const be = new CpuBackend();
    const stopped = await runOnce(be, tinySettings(), CPU_PLAN.updates, {
      stopAt: CPU_PLAN.stopAt,
    });
    const resume = stopped.saved.get(`final@${CPU_PLAN.stopAt}`)!;
    const start = stopped.saved.get('start@0')!;
    const attempt = (settings: TrainSettings, extra: Partial<TrainOptions> = {}) =>
      train({
        be,
        settings,
        stage: 0,
        vocab: frozenVocab(),
        updates: CPU_PLAN.updates,
        resume,
        start,
        ...extra,
      }).catch((e: unknown) => e);
    const seed = await attempt(tinySettings({ run: { seed: 2 } }));
    expect(seed).toBeInstanceOf(ResumeMismatchError);
    expect((seed as Error).message).toContain("setting 'run.seed' differs");
    const lr = await attempt(tinySettings({ optimiser: { sftLr: 1e-2 } }));
    expect((lr as Error).message).toContain("'optimiser.sftLr'");
    const stage = await attempt(tinySettings(), {
      stage: 1,
      definition: { ...sftStage, stage: 1 },
    });
    expect((stage as Error).message).toContain('stage differs: the checkpoint is stage 0, now 1');
    const short = await attempt(tinySettings(), { updates: 2 });
    expect((short as Error).message).toContain("below the checkpoint's update 4");
  });
});
