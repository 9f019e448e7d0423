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

describe('wasm gradients against finite differences', () => {
  it("grpoTokenLoss's dlogp is the derivative of its own summed loss", async () => {
    const be = await wasm;
    const rng = new Rng(21);
    const N = 64;
    const col = (f: () => number) => Float32Array.from({ length: N }, f);
    const logp = col(() => rng.normal(-2, 0.5));
    const host = {
      logpOld: Float32Array.from(logp, (x) => x + rng.normal(0, 0.3)),
      logpRef: Float32Array.from(logp, (x) => x + rng.normal(0, 0.5)),
      adv: col(() => rng.normal(0, 1)),
      mask: col(() => (rng.chance(0.1) ? 0 : 1)),
    };
    const t = (data: Float32Array) => {
      const x = be.tensor([N]);
      be.write(x, data);
      return x;
    };
    const tokens = {
      logp: t(logp),
      logpOld: t(host.logpOld),
      logpRef: t(host.logpRef),
      adv: t(host.adv),
      mask: t(host.mask),
    };
    const [loss, dlogp] = [be.tensor([N]), be.tensor([N])];
    const settings = { clipEps: 0.2, beta: 0.05, normaliser: 1 };
    const total = async (x: Float32Array) => {
      be.write(tokens.logp, x);
      be.grpoTokenLoss(loss, dlogp, tokens, settings);
      return Array.from(await be.read(loss)).reduce((a, b) => a + b, 0);
    };
    await total(logp);
    const analytic = Array.from(await be.read(dlogp));
    const h = 1e-2;
    let checked = 0;
    for (let n = 0; n < N; n++) {
      // A ratio within ±h of a clip boundary has a kink inside the difference: skip it.
      const ratio = Math.exp(logp[n] - host.logpOld[n]);
      if (Math.min(Math.abs(ratio - 1.2), Math.abs(ratio - 0.8)) < 0.05) continue;
      checked++;
      const shifted = (d: number) => Float32Array.from(logp, (x, i) => (i === n ? x + d : x));
      const numeric = ((await total(shifted(h))) - (await total(shifted(-h)))) / (2 * h);
      // f32 losses: a loose bound, far below a missing or doubled term (the f64 reference
      // is held to 1e-6 in decode.test.ts).
      expect(Math.abs(numeric - analytic[n]), `token ${n}`).toBeLessThanOrEqual(
        0.02 * Math.max(1, Math.abs(analytic[n])),
      );
    }
    expect(checked).toBeGreaterThan(N / 2);
    expect(analytic.some((g) => Math.abs(g) > 0.1)).toBe(true);
  });
});
