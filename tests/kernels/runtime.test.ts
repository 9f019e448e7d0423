// Runtime behaviour under the WebGPU backend: buffer pool reuse and its hazards, views and
// alignment, many dispatches in one submit with distinct uniforms, readback ordering, caches,
// use after release, and the adapter report.
import { describe, expect, it } from 'vitest';
import { KernelError, type Tensor } from '../../src/kernels/backend';
import { grid1d, sizeClass } from '../../src/kernels/runtime';
import type { WebGpuBackend } from '../../src/kernels/webgpu-backend';
import { getGpuBackend } from './gpu';

function filled(be: WebGpuBackend, n: number, f: (i: number) => number): Tensor {
  const t = be.tensor([n]);
  be.write(
    t,
    Float32Array.from({ length: n }, (_, i) => f(i)),
  );
  return t;
}

describe('buffer pool', () => {
  it('reuses a released buffer of the same size class and hands it out zeroed', async () => {
    const be = await getGpuBackend();
    const a = filled(be, 1000, () => 7);
    await be.sync();
    be.release(a);
    const before = be.rt.stats().storage;
    const b = be.tensor([1000]);
    const after = be.rt.stats().storage;
    expect(after.reused).toBe(before.reused + 1);
    expect(after.created).toBe(before.created);
    expect(Array.from(await be.read(b)).every((x) => x === 0)).toBe(true);
    be.release(b);
  });

  it('does not hand out a released buffer while unsubmitted ops still read it', async () => {
    const be = await getGpuBackend();
    const a = filled(be, 500, (i) => i);
    const out = be.tensor([500]);
    await be.sync();
    be.scale(out, a, 2); // recorded, not submitted
    be.release(a);
    const b = filled(be, 500, () => -1); // must not land in a's buffer before the scale runs
    const got = await be.read(out);
    expect(got[0]).toBe(0);
    expect(got[499]).toBe(998);
    expect((await be.read(b))[3]).toBe(-1);
    be.release(out);
    be.release(b);
  });

  it('size classes are 256-byte multiples with at most a quarter wasted', () => {
    expect(sizeClass(1)).toBe(256);
    expect(sizeClass(257)).toBe(512);
    expect(sizeClass(4096)).toBe(4096);
    for (const n of [4097, 10_000, 123_457, 5_000_000]) {
      const c = sizeClass(n);
      expect(c).toBeGreaterThanOrEqual(n);
      expect(c % 256).toBe(0);
      expect(c).toBeLessThanOrEqual(n * 1.25 + 256);
    }
  });
});

describe('views', () => {
  it('share storage at 256-byte-aligned offsets', async () => {
    const be = await getGpuBackend();
    const pool = be.tensor([256], 'f32', 'pool');
    const v = be.view(pool, 64, [2, 32]);
    const vv = be.view(v, 0, [64]);
    expect(vv.offset).toBe(64);
    be.write(v, new Float32Array(64).fill(3));
    be.scale(vv, vv, 2); // in place on a view of a view
    const all = await be.read(pool);
    expect(all[63]).toBe(0);
    expect(all[64]).toBe(6);
    expect(all[127]).toBe(6);
    expect(all[128]).toBe(0);
    be.release(pool);
    expect(v.released).toBe(true);
  });

  it('refuse offsets that are not a multiple of 256 bytes', async () => {
    const be = await getGpuBackend();
    const pool = be.tensor([256]);
    expect(() => be.view(pool, 10, [4])).toThrow(KernelError);
    expect(() => be.view(pool, 10, [4])).toThrow(/256 bytes/);
    const v = be.view(pool, 64, [64]);
    expect(() => be.view(v, 1, [4])).toThrow(/multiple of 64/);
    be.release(pool);
  });
});

describe('step recorder', () => {
  it('runs 300 dispatches with distinct uniforms in one submit', async () => {
    const be = await getGpuBackend();
    const n = 300;
    const src = filled(be, 64, () => 1);
    const dst = be.tensor([n * 64]);
    await be.sync();
    const flushes = be.rt.stats().flushes;
    for (let i = 0; i < n; i++) be.scale(be.view(dst, i * 64, [64]), src, i + 1);
    const got = await be.read(dst);
    expect(be.rt.stats().flushes).toBe(flushes + 1);
    expect(be.rt.stats().uniformChunks).toBeGreaterThanOrEqual(2); // more than 256 slots
    for (let i = 0; i < n; i++) {
      expect(got[i * 64], `view ${i}`).toBe(i + 1);
      expect(got[i * 64 + 63], `view ${i}`).toBe(i + 1);
    }
    be.release(src);
    be.release(dst);
  });

  it('read after an explicit flush, and read flushes by itself', async () => {
    const be = await getGpuBackend();
    const a = filled(be, 10, (i) => i);
    const out = be.tensor([10]);
    be.add(out, a, a);
    be.flush();
    expect(Array.from(await be.read(out))).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    be.mul(out, a, a);
    expect((await be.read(out))[9]).toBe(81);
    be.release(a);
    be.release(out);
  });

  it('a write is ordered after ops recorded before it', async () => {
    const be = await getGpuBackend();
    const a = filled(be, 8, () => 2);
    const out = be.tensor([8]);
    await be.sync();
    be.scale(out, a, 3);
    be.write(a, new Float32Array(8).fill(5));
    expect((await be.read(out))[0]).toBe(6);
    expect((await be.read(a))[0]).toBe(5);
    be.release(a);
    be.release(out);
  });

  it('repeating a step creates no new pipelines or bind groups', async () => {
    const be = await getGpuBackend();
    const x = filled(be, 100, (i) => i / 100);
    const y = be.tensor([100]);
    const step = (): void => {
      be.activation('gelu', y, x);
      be.add(y, y, x);
      be.scale(y, y, 0.5);
    };
    step();
    await be.sync();
    const s1 = be.rt.stats();
    step();
    await be.sync();
    const s2 = be.rt.stats();
    expect(s2.pipelines).toBe(s1.pipelines);
    expect(s2.bindGroups).toBe(s1.bindGroups);
    expect(s2.dispatches).toBe(s1.dispatches + 3);
    be.release(x);
    be.release(y);
  });

  it('folds large 1-D grids into two dimensions', () => {
    expect(grid1d(1, 256)).toEqual([1, 1, 1]);
    expect(grid1d(65535 * 256, 256)).toEqual([65535, 1, 1]);
    const [x, y] = grid1d(65536 * 256, 256);
    expect(y).toBe(2);
    expect(x * y * 256).toBeGreaterThanOrEqual(65536 * 256);
    expect(x).toBeLessThanOrEqual(65535);
  });
});

describe('tensor lifetime', () => {
  it('use after release throws a KernelError naming the op and tensor', async () => {
    const be = await getGpuBackend();
    const t = be.tensor([4], 'f32', 'gone');
    const u = be.tensor([4]);
    be.release(t);
    expect(() => be.scale(u, t, 2)).toThrow(/scale: a \(4\) 'gone' was released/);
    await expect(be.read(t)).rejects.toThrow(/read: .*released/);
    expect(() => be.release(t)).toThrow(KernelError);
    be.release(u);
  });

  it('wrong dtypes and shapes are refused before anything is recorded', async () => {
    const be = await getGpuBackend();
    const a = be.tensor([3, 4]);
    const b = be.tensor([5, 2]);
    const ids = be.tensor([12], 'i32');
    const out = be.tensor([3, 2]);
    expect(() => be.matmul(out, a, b)).toThrow(
      /matmul: inner dimensions differ: a \(3,4\) · b \(5,2\)/,
    );
    expect(() => be.add(a, a, ids)).toThrow(/add: .*must be f32/);
    for (const t of [a, b, ids, out]) be.release(t);
  });
});

describe('adapter report', () => {
  it('is plain serialisable data with limits and features', async () => {
    const be = await getGpuBackend();
    const info = be.info;
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
    expect(typeof info.isFallbackAdapter).toBe('boolean');
    expect(info.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 << 20);
    expect(info.limits.minStorageBufferOffsetAlignment).toBe(256);
    expect(Array.isArray(info.features)).toBe(true);
    expect(be.description.length).toBeGreaterThan(0);
  });
});
