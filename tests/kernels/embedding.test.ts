// Embedding lookups and row gathers on WebGPU against the CPU reference: every case in
// embedding.cases.ts (repeated ids, ignored gather ids; backward cases pre-fill their
// gradients, so they check accumulation), the determinism of the scatter-add backward, and
// refusals naming the op.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { intTensor, normalTensor } from '../../src/kernels/cases/inputs';
import { cases } from '../../src/kernels/cases/embedding.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { Rng } from '../../src/rng';
import { expectParity, getGpuBackend } from './gpu';
import { expectRefused } from './ops-helpers';

const cpu = new CpuBackend();

describe('embedding vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

/** dtable after embeddingBackward with 3000 tokens over 3 rows (about 1000 collisions each). */
async function heavyCollisions(be: Backend): Promise<Float32Array> {
  const rng = new Rng(11);
  const dtable = normalTensor(be, rng, [3, 70]);
  const dout = normalTensor(be, rng, [3000, 70]);
  const ids = intTensor(be, rng, [3000], 0, 2);
  be.embeddingBackward(dtable, dout, ids);
  const got = (await be.read(dtable)) as Float32Array;
  for (const t of [dtable, dout, ids]) be.release(t);
  return got;
}

describe('embedding on WebGPU', () => {
  it('adds colliding tokens in order of n: bit-identical run to run and to the CPU', async () => {
    const gpu = await getGpuBackend();
    const first = await heavyCollisions(gpu);
    const second = await heavyCollisions(gpu);
    expect(second).toEqual(first);
    // Same f32 additions in the same order as the reference, so not merely close: equal.
    expect(first).toEqual(await heavyCollisions(cpu));
  });

  it('refuses i32/f32 mix-ups and mis-shaped rows, naming the op', async () => {
    const gpu = await getGpuBackend();
    const [table, out, ids, floatIds] = [
      gpu.tensor([5, 3]),
      gpu.tensor([4, 3]),
      gpu.tensor([4], 'i32'),
      gpu.tensor([4]),
    ];
    expectRefused(() => gpu.embedding(out, floatIds, table), 'embedding', 'must be i32');
    expectRefused(
      () => gpu.embeddingBackward(table, table, ids),
      'embeddingBackward',
      'dout (5,3)',
    );
    expectRefused(() => gpu.gatherRows(floatIds, table, ids), 'gatherRows', 'ids (4)');
    expectRefused(() => gpu.gatherRowsBackward(out, ids, ids), 'gatherRowsBackward', 'must be f32');
    for (const t of [table, out, ids, floatIds]) gpu.release(t);
  });
});
