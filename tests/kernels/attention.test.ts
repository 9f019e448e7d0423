// Attention on WebGPU against the CPU reference: every case in attention.cases.ts (causal and
// prefix masks, prefixes of 0, partial, whole and past-the-end lengths; backward cases
// pre-fill dqkv, so they check accumulation), the mask itself, and refusals naming the op.
import { describe, expect, it } from 'vitest';
import { normalTensor } from '../../src/kernels/cases/inputs';
import { cases } from '../../src/kernels/cases/attention.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { Rng } from '../../src/rng';
import { expectParity, getGpuBackend } from './gpu';
import { expectRefused } from './ops-helpers';

const cpu = new CpuBackend();

describe('attention vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

describe('attention on WebGPU', () => {
  it('sees the whole prefix, then only earlier positions; masked entries are exactly 0', async () => {
    const gpu = await getGpuBackend();
    const shape = { B: 2, T: 6, NH: 1, HS: 4 };
    const prefix = [3, 0];
    const qkv = normalTensor(gpu, new Rng(5), [2, 6, 12]);
    const prefixLen = gpu.tensor([2], 'i32');
    gpu.write(prefixLen, prefix);
    const [out, att] = [gpu.tensor([2, 6, 4]), gpu.tensor([2, 1, 6, 6])];
    gpu.attention(out, att, qkv, prefixLen, shape);
    const a = (await gpu.read(att)) as Float32Array;
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 6; t++) {
        const row = a.subarray((b * 6 + t) * 6, (b * 6 + t + 1) * 6);
        const last = t < prefix[b] ? prefix[b] - 1 : t;
        row.forEach((p, t2) => {
          if (t2 <= last) expect(p, `b=${b} t=${t} t2=${t2}`).toBeGreaterThan(0);
          else expect(p, `b=${b} t=${t} t2=${t2}`).toBe(0);
        });
        expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
      }
    }
    for (const t of [qkv, prefixLen, out, att]) gpu.release(t);
  });

  it('refuses mis-shaped tensors and an f32 prefix, naming the op', async () => {
    const gpu = await getGpuBackend();
    const shape = { B: 1, T: 2, NH: 2, HS: 2 };
    const [qkv, out, att] = [
      gpu.tensor([1, 2, 12]),
      gpu.tensor([1, 2, 4]),
      gpu.tensor([1, 2, 2, 2]),
    ];
    const [badAtt, floatPrefix] = [gpu.tensor([1, 2, 2]), gpu.tensor([1])];
    expectRefused(
      () => gpu.attention(out, att, qkv, floatPrefix, shape),
      'attention',
      'must be i32',
    );
    expectRefused(() => gpu.attention(out, badAtt, qkv, null, shape), 'attention', 'att (1,2,2)');
    expectRefused(
      () => gpu.attentionBackward(qkv, att, out, qkv, att, { ...shape, HS: 3 }),
      'attentionBackward',
      'qkv (1,2,12)',
    );
    for (const t of [qkv, out, att, badAtt, floatPrefix]) gpu.release(t);
  });
});
