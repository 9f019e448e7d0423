// Layer norm on WebGPU against the CPU reference: every case in norm.cases.ts (the backward
// cases pre-fill dx, dw, db with random values, so they check accumulation), and refusals
// that name the op. (The folded grid of the row kernels is covered in softmax.test.ts.)
import { describe, it } from 'vitest';
import { cases } from '../../src/kernels/cases/norm.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { expectParity, getGpuBackend } from './gpu';
import { expectRefused } from './ops-helpers';

const cpu = new CpuBackend();

describe('layer norm vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

describe('layer norm on WebGPU', () => {
  it('refuses mis-shaped tensors, naming the op', async () => {
    const gpu = await getGpuBackend();
    const [x, out, w, wBad] = [
      gpu.tensor([4, 3]),
      gpu.tensor([4, 3]),
      gpu.tensor([3]),
      gpu.tensor([4]),
    ];
    const [mean, rstd] = [gpu.tensor([4]), gpu.tensor([4])];
    expectRefused(() => gpu.layerNorm({ out, mean, rstd, x, w: wBad, b: w }), 'layerNorm', 'w (4)');
    expectRefused(() => gpu.layerNorm({ out, mean, rstd, x, w, b: w }, 0), 'layerNorm', 'eps');
    // rstd must have one entry per row of x (4), not per column.
    expectRefused(
      () => gpu.layerNormBackward({ dx: out, dw: w, db: w, dout: x, x, w, mean, rstd: w }),
      'layerNormBackward',
      'rstd (3)',
    );
    for (const t of [x, out, w, wBad, mean, rstd]) gpu.release(t);
  });
});
