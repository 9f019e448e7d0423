// Every shared op case on the WebAssembly backend against the CPU reference (same seed,
// each case's tolerance), and the backend's own memory rules.
import { afterAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { allCases } from '../../src/kernels/selftest';
import { WasmBackend } from '../../src/kernels/wasm';
import { expectParity } from './gpu';
import { expectRefused } from './ops-helpers';
import { Rng } from '../../src/rng';

const cpu = new CpuBackend();
const wasm = WasmBackend.create();
// Every op split over both threads, however small (the default splits only large ones).
const threaded = WasmBackend.create({ threads: 2, splitMinWork: 0 });
afterAll(async () => {
  (await wasm).destroy();
  (await threaded).destroy();
});

describe('wasm vs CPU reference: every op case', () => {
  const cases = allCases();
  it('covers every op of the interface that has cases', () => {
    expect(cases.length).toBeGreaterThan(50);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await wasm, cpu, c);
  });
});

describe('wasm on 2 threads: matmul and attention cases bit-identical to 1 thread', () => {
  it('runs on 2 threads (Node has SharedArrayBuffer)', async () => {
    expect((await threaded).threads).toBe(2);
    expect((await threaded).threadNote).toBeNull();
  });
  const cases = allCases().filter((c) => c.op === 'matmul' || c.op.startsWith('attention'));
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const one = await c.run(await wasm, new Rng(5));
    const two = await c.run(await threaded, new Rng(5));
    expect(two).toEqual(one);
  });
});

describe('wasm memory', () => {
  it('tensors are distinct blocks of one memory, views share them, release reuses them', async () => {
    const be = await wasm;
    const a = be.tensor([100]);
    const b = be.tensor([100]);
    be.write(a, new Float32Array(100).fill(1));
    be.write(b, new Float32Array(100).fill(2));
    expect((await be.read(a)).every((v) => v === 1)).toBe(true);
    const v = be.view(a, 10, [5]);
    be.write(v, [7, 7, 7, 7, 7]);
    expect(Array.from((await be.read(a)).slice(9, 16))).toEqual([1, 7, 7, 7, 7, 7, 1]);
    const top = be.arena.highWater;
    be.release(a);
    const c = be.tensor([100]);
    expect(be.arena.highWater).toBe(top);
    expect((await be.read(c)).every((x) => x === 0)).toBe(true);
    be.release(b);
    be.release(c);
  });

  it('keeps data when the memory grows', async () => {
    const be = await wasm;
    const a = be.tensor([1000]);
    be.write(
      a,
      Float32Array.from({ length: 1000 }, (_, i) => i),
    );
    const big = be.tensor([16 * 1024 * 1024]);
    expect((await be.read(a))[999]).toBe(999);
    be.release(big);
    be.release(a);
  });

  it('refuses tensors of another backend', async () => {
    const be = await wasm;
    const x = cpu.tensor([2, 2]);
    const y = be.tensor([2, 2]);
    expectRefused(() => be.matmul(y, x, y), 'matmul', 'another backend');
    expectRefused(() => be.softmax(y, x), 'softmax', 'another backend');
  });
});
