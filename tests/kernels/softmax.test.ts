// Softmax and log-softmax (forward and backward) on WebGPU against the CPU reference: every
// case in softmax.cases.ts (long rows, +80 offsets, backwards over garbage-filled dx), an
// in-place call, a row count past the 65535-workgroup limit, and refusals that name the op.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { normalTensor } from '../../src/kernels/cases/inputs';
import { cases } from '../../src/kernels/cases/softmax.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { maxRelativeError } from '../../src/kernels/selftest';
import { Rng } from '../../src/rng';
import { expectParity, getGpuBackend } from './gpu';
import { expectRefused } from './ops-helpers';

const cpu = new CpuBackend();

describe('softmax vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

/** softmax or logSoftmax of a seeded (R,C) input, in place when asked. */
async function rowOp(
  be: Backend,
  kind: 'softmax' | 'logSoftmax',
  R: number,
  C: number,
  inPlace: boolean,
): Promise<Float32Array> {
  const x = normalTensor(be, new Rng(3), [R, C], 3);
  const out = inPlace ? x : be.tensor([R, C]);
  be[kind](out, x);
  const got = (await be.read(out)) as Float32Array;
  be.release(x);
  if (!inPlace) be.release(out);
  return got;
}

describe('softmax on WebGPU', () => {
  it.each(['softmax', 'logSoftmax'] as const)('%s in place (out = x)', async (kind) => {
    const got = await rowOp(await getGpuBackend(), kind, 5, 300, true);
    const want = await rowOp(cpu, kind, 5, 300, false);
    expect(maxRelativeError(got, want)).toBeLessThanOrEqual(1e-4);
  });

  it('covers 70000 rows (a grid folded past 65535 workgroups)', async () => {
    const got = await rowOp(await getGpuBackend(), 'softmax', 70000, 3, false);
    const want = await rowOp(cpu, 'softmax', 70000, 3, false);
    expect(maxRelativeError(got, want)).toBeLessThanOrEqual(1e-4);
    const last = got.subarray(got.length - 3);
    expect(last[0] + last[1] + last[2]).toBeCloseTo(1, 5);
  });

  it('refuses mismatched rows, naming the op', async () => {
    const gpu = await getGpuBackend();
    const [a, b] = [gpu.tensor([4, 3]), gpu.tensor([3, 4])];
    expectRefused(() => gpu.softmax(a, b), 'softmax', 'out (4,3)');
    expectRefused(() => gpu.logSoftmax(b, a), 'logSoftmax', 'out (3,4)');
    expectRefused(() => gpu.softmaxBackward(a, a, b), 'softmaxBackward', 'dy (3,4)');
    expectRefused(() => gpu.logSoftmaxBackward(b, a, a), 'logSoftmaxBackward', 'dx (3,4)');
    gpu.release(a);
    gpu.release(b);
  });
});
