// Row reductions and the global L2 norm on WebGPU against the CPU reference, plus the
// properties the cases cannot show: results overwrite, views at pool offsets, determinism,
// and bad input refused by name.
import { describe, expect, it } from 'vitest';
import { KernelError } from '../../src/kernels/backend';
import { cases } from '../../src/kernels/cases/reduce.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { expectParity, getGpuBackend } from './gpu';

const cpu = new CpuBackend();

describe('reduce and l2Norm vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

describe('reduce', () => {
  it('overwrites out, reduces rows of views inside a pool, and is exact on small integers', async () => {
    const gpu = await getGpuBackend();
    // Rows of 300 (longer than a workgroup) placed 64 elements into a pool.
    const R = 3;
    const C = 300;
    const pool = gpu.tensor([64 + R * C + 64]);
    const x = gpu.view(pool, 64, [R, C]);
    const data = new Float32Array(R * C);
    for (let i = 0; i < data.length; i++) data[i] = (i % 7) - 3 - Math.floor(i / C); // row r: −3−r … 3−r
    gpu.write(x, data);
    const out = gpu.tensor([R]);
    gpu.write(out, [1000, 1000, 1000]);
    const want = { sum: [0, 0, 0], max: [0, 0, 0] };
    for (let r = 0; r < R; r++) {
      want.sum[r] = data.slice(r * C, (r + 1) * C).reduce((a, b) => a + b, 0);
      want.max[r] = 3 - r;
    }
    gpu.reduce('sum', out, x);
    gpu.reduce('sum', out, x); // twice: still the sum, not double
    expect([...(await gpu.read(out))]).toEqual(want.sum);
    gpu.reduce('mean', out, x);
    expect([...(await gpu.read(out))]).toEqual(want.sum.map((s) => Math.fround(s / C)));
    gpu.reduce('max', out, x);
    expect([...(await gpu.read(out))]).toEqual(want.max);
    for (const t of [out, x, pool]) gpu.release(t);
  });

  it('a row of all-negative values has a negative max (the fold does not start at 0)', async () => {
    const gpu = await getGpuBackend();
    const x = gpu.tensor([2, 5]);
    gpu.write(x, [-5, -4, -3, -2, -9, -1e30, -2e30, -3e30, -4e30, -5e30]);
    const out = gpu.tensor([2]);
    gpu.reduce('max', out, x);
    expect([...(await gpu.read(out))]).toEqual([-2, Math.fround(-1e30)]);
    gpu.release(x);
    gpu.release(out);
  });

  it('refuses bad input, naming the op', async () => {
    const gpu = await getGpuBackend();
    const x = gpu.tensor([4, 3]);
    const wrong = gpu.tensor([3]);
    const ids = gpu.tensor([4], 'i32');
    expect(() => gpu.reduce('sum', wrong, x)).toThrow(KernelError);
    expect(() => gpu.reduce('sum', wrong, x)).toThrow(/^reduce: .*\(3\)/);
    expect(() => gpu.reduce('median' as 'sum', ids, x)).toThrow(
      /^reduce: unknown reduction 'median'/,
    );
    expect(() => gpu.reduce('max', ids, x)).toThrow(/^reduce: /);
    expect(() => gpu.l2Norm(wrong, x)).toThrow(/^l2Norm: /);
    for (const t of [x, wrong, ids]) gpu.release(t);
  });
});

describe('l2Norm', () => {
  it('covers tensors larger than its first pass (grid-strided) and is deterministic', async () => {
    const gpu = await getGpuBackend();
    // 3·256·256 + 5 elements: each first-pass invocation folds several of them.
    const n = 3 * 256 * 256 + 5;
    const data = new Float32Array(n);
    let sq = 0;
    for (let i = 0; i < n; i++) {
      data[i] = ((i * 37) % 11) - 5;
      sq += data[i] * data[i];
    }
    const x = gpu.tensor([n]);
    gpu.write(x, data);
    const a = gpu.tensor([1]);
    const b = gpu.tensor([1]);
    gpu.l2Norm(a, x);
    gpu.l2Norm(b, x);
    const [na] = await gpu.read(a);
    const [nb] = await gpu.read(b);
    expect(na).toBe(Math.fround(Math.sqrt(sq))); // integer squares: exact sums
    expect(nb).toBe(na);
    for (const t of [x, a, b]) gpu.release(t);
  });

  it('two norms recorded in one step do not share partial sums', async () => {
    const gpu = await getGpuBackend();
    const x = gpu.tensor([1000]);
    const y = gpu.tensor([70]);
    gpu.write(x, new Float32Array(1000).fill(2)); // √4000
    gpu.write(y, new Float32Array(70).fill(3)); // √630
    const nx = gpu.tensor([1]);
    const ny = gpu.tensor([1]);
    gpu.l2Norm(nx, x);
    gpu.l2Norm(ny, y);
    expect((await gpu.read(nx))[0]).toBeCloseTo(Math.sqrt(4000), 4);
    expect((await gpu.read(ny))[0]).toBeCloseTo(Math.sqrt(630), 4);
    for (const t of [x, y, nx, ny]) gpu.release(t);
  });
});
