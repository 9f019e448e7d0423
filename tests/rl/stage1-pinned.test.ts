// Stage-1 numbers pinned bit for bit (stage1-pinned-run.ts): the training data stream and the
// metrics of three updates on the CPU reference and on wasm (plain SIMD128, no relaxed ops, so
// the same on every engine) must equal the recorded values. Speed work on prompts, sampling
// or the update that changes any number fails here.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { WasmBackend } from '../../src/kernels/wasm';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { warmStart } from './stage1-fixtures';
import {
  PINNED_FILE,
  PINNED_SETTINGS,
  PINNED_WARM_UPDATES,
  pinnedMetrics,
  pinnedPrompts,
} from './stage1-pinned-run';

interface Pinned {
  prompts: string[][];
  cpu: Awaited<ReturnType<typeof pinnedMetrics>>;
  wasm: Awaited<ReturnType<typeof pinnedMetrics>>;
}

const pinned = JSON.parse(readFileSync(PINNED_FILE, 'utf8')) as Pinned;

describe('stage 1, pinned', () => {
  let init: CheckpointState;
  beforeAll(async () => {
    init = await warmStart(PINNED_SETTINGS, PINNED_WARM_UPDATES);
  });

  it('draws the same training prompts', () => {
    expect(pinnedPrompts()).toEqual(pinned.prompts);
  });

  it('gives the same metrics and evaluation on the CPU reference', async () => {
    expect(await pinnedMetrics(new CpuBackend(), init)).toEqual(pinned.cpu);
  });

  it('gives the same metrics and evaluation on wasm, one thread', async () => {
    const be = await WasmBackend.create({ threads: 1 });
    try {
      expect(await pinnedMetrics(be, init)).toEqual(pinned.wasm);
    } finally {
      be.destroy();
    }
  });

  it('the pinned updates learn: the policy moves and clips (the pin is not of a no-op)', () => {
    const last = pinned.cpu.metrics.at(-1)!;
    expect(last.kl).toBeGreaterThan(0);
    expect(last.gradNorm).toBeGreaterThan(0);
    expect(last.ratioDeviation).toBeGreaterThan(0);
  });
});
