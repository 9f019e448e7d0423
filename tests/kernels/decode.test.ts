// Decoding ops and the GRPO token loss: WebGPU against the CPU reference on every case, then
// the properties the planner relies on — a KV-cache decode loop (writeRow + attentionStep,
// all steps in one submit) reproduces the full attention forward row by row (bit for bit on
// the CPU reference and on wasm); sampling picks
// the same tokens on both backends, follows the truncated distribution, never leaves the
// top-p nucleus, breaks ties by id and returns the temperature-1 log-prob; the clipped GRPO
// loss matches hand-computed values and its gradient matches finite differences in f64.
import { describe, expect, it } from 'vitest';
import type { AttentionShape, Backend, Tensor } from '../../src/kernels/backend';
import { cases } from '../../src/kernels/cases/decode.cases';
import { CpuBackend, grpoTokenLoss, nucleus, sampleTokens } from '../../src/kernels/cpu';
import { maxRelativeError } from '../../src/kernels/selftest';
import { Rng } from '../../src/rng';
import { WasmBackend } from '../../src/kernels/wasm';
import { expectParity, getGpuBackend } from './gpu';

const cpu = new CpuBackend();
const wasm = WasmBackend.create();

function tensorOf(
  be: Backend,
  shape: number[],
  data: ArrayLike<number>,
  dtype: 'f32' | 'i32' = 'f32',
): Tensor {
  const t = be.tensor(shape, dtype);
  be.write(t, dtype === 'f32' ? Float32Array.from(data) : Int32Array.from(data));
  return t;
}

function randn(rng: Rng, n: number, std = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal(0, std));
}

async function readAll(be: Backend, ts: Tensor[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const t of ts) out.push([...(await be.read(t))]);
  for (const t of ts) be.release(t);
  return out;
}

describe('decode ops vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

describe('writeRow', () => {
  it('writes row pos of every sequence and leaves the other rows alone', async () => {
    for (const be of [cpu, await getGpuBackend()]) {
      const dst = tensorOf(be, [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const src = tensorOf(be, [2, 2], [-1, -2, -3, -4]);
      be.writeRow(dst, src, 1);
      be.writeRow(dst, src, 2);
      const [got] = await readAll(be, [dst, src]);
      expect(got, be.kind).toEqual([1, 2, -1, -2, -1, -2, 7, 8, -3, -4, -3, -4]);
    }
  });

  it('copies i32 rows too (sampled ids into a (B,T,1) token buffer), never mixing dtypes', async () => {
    for (const be of [cpu, await getGpuBackend()]) {
      const tokens = tensorOf(be, [2, 3, 1], [1, 2, 3, 4, 5, 6], 'i32');
      const ids = tensorOf(be, [2, 1], [70000, -1], 'i32');
      be.writeRow(tokens, ids, 2);
      const floats = be.tensor([2, 1]);
      expect(() => be.writeRow(tokens, floats, 0)).toThrow(
        /^writeRow: src .* must be i32, got f32/,
      );
      const [got] = await readAll(be, [tokens, ids, floats]);
      expect(got, be.kind).toEqual([1, 2, 70000, 4, 5, -1]);
    }
  });
});

const STEP_SHAPES: { shape: AttentionShape; prefix: number[] | null }[] = [
  { shape: { B: 2, T: 9, NH: 2, HS: 4 }, prefix: null },
  { shape: { B: 3, T: 12, NH: 3, HS: 5 }, prefix: [4, 0, 12] },
];

describe('attentionStep is row pos of the full attention forward', () => {
  const onBoth = STEP_SHAPES.flatMap((c) =>
    (['cpu', 'wasm'] as const).map((kind) => [kind, c.prefix ? 'prefix' : 'causal', c] as const),
  );
  it.each(onBoth)('%s, every position (%s)', async (kind, _label, { shape, prefix }) => {
    const be = kind === 'cpu' ? cpu : await wasm;
    const { B, T, NH, HS } = shape;
    const C = NH * HS;
    const qkv = tensorOf(be, [B, T, 3 * C], randn(new Rng(7), B * T * 3 * C));
    const prefixLen = prefix ? tensorOf(be, [B], prefix, 'i32') : null;
    const full = be.tensor([B, T, C]);
    be.attention(full, be.tensor([B, NH, T, T]), qkv, prefixLen, shape);
    const fullOut = (await be.read(full)) as Float32Array;
    const step = be.tensor([B, C]);
    for (let pos = 0; pos < T; pos++) {
      be.attentionStep(step, qkv, pos, prefixLen, shape);
      const got = (await be.read(step)) as Float32Array;
      const want = new Float32Array(B * C);
      for (let b = 0; b < B; b++)
        want.set(fullOut.subarray((b * T + pos) * C, (b * T + pos + 1) * C), b * C);
      expect(got, `pos ${pos}`).toEqual(want); // bit-identical in f32
    }
  });

  it.each(STEP_SHAPES.map((c) => [c.prefix ? 'prefix' : 'causal', c] as const))(
    'WebGPU decode loop over a growing KV cache, one submit (%s)',
    async (_label, { shape, prefix }) => {
      const gpu = await getGpuBackend();
      const { B, T, NH, HS } = shape;
      const C = NH * HS;
      const data = randn(new Rng(11), B * T * 3 * C);
      const qkv = tensorOf(gpu, [B, T, 3 * C], data);
      const prefixLen = prefix ? tensorOf(gpu, [B], prefix, 'i32') : null;
      const full = gpu.tensor([B, T, C]);
      const att = gpu.tensor([B, NH, T, T]);
      gpu.attention(full, att, qkv, prefixLen, shape);
      const [fullOut] = await readAll(gpu, [full, att]);

      // One (B,3C) row per position, as the model's qkv projection of the new token.
      const rows = Array.from({ length: T }, (_, pos) => {
        const row = new Float32Array(B * 3 * C);
        for (let b = 0; b < B; b++) {
          row.set(data.subarray((b * T + pos) * 3 * C, (b * T + pos + 1) * 3 * C), b * 3 * C);
        }
        return tensorOf(gpu, [B, 3 * C], row);
      });
      const cache = gpu.tensor([B, T, 3 * C]); // zeros: future rows must never be read
      const step = gpu.tensor([B, C]);
      const decoded = gpu.tensor([B, T, C]);
      gpu.flush();
      const flushes = gpu.rt.stats().flushes;
      // The prompt (the longest prefix) is in the cache before decoding starts.
      const prompt = prefix ? Math.min(T, Math.max(...prefix)) : 0;
      for (let pos = 0; pos < prompt; pos++) gpu.writeRow(cache, rows[pos], pos);
      for (let pos = 0; pos < T; pos++) {
        gpu.writeRow(cache, rows[pos], pos);
        gpu.attentionStep(step, cache, pos, prefixLen, shape);
        gpu.writeRow(decoded, step, pos);
      }
      const [got] = await readAll(gpu, [decoded]);
      expect(gpu.rt.stats().flushes - flushes).toBe(1);
      expect(maxRelativeError(got, fullOut)).toBeLessThanOrEqual(1e-5);
      for (const t of [qkv, cache, step, ...rows, ...(prefixLen ? [prefixLen] : [])])
        gpu.release(t);
    },
  );
});

interface Draws {
  ids: number[];
  logp: number[];
}

async function sample(
  be: Backend,
  logits: ArrayLike<number>,
  uniforms: ArrayLike<number>,
  V: number,
  temperature: number,
  topP: number,
): Promise<Draws> {
  const B = uniforms.length;
  const x = tensorOf(be, [B, V], logits);
  const u = tensorOf(be, [B], uniforms);
  const ids = be.tensor([B], 'i32');
  const logp = be.tensor([B]);
  be.sampleTokens(ids, logp, x, u, temperature, topP);
  const [i, lp] = await readAll(be, [ids, logp]);
  be.release(x);
  be.release(u);
  return { ids: i, logp: lp };
}

/** The same logit row repeated B times, with B fresh uniforms. */
function repeated(
  row: number[],
  B: number,
  rng: Rng,
): { logits: Float32Array; uniforms: Float32Array } {
  const logits = new Float32Array(B * row.length);
  for (let b = 0; b < B; b++) logits.set(row, b * row.length);
  return { logits, uniforms: Float32Array.from({ length: B }, () => rng.next()) };
}

/** softmax(row / temperature) restricted to the top-p nucleus and renormalised. */
function truncated(row: number[], temperature: number, topP: number): number[] {
  const max = Math.max(...row);
  const w = Float64Array.from(row, (l) => Math.exp((l - max) / temperature));
  const total = w.reduce((a, b) => a + b, 0);
  const kept = nucleus(w, total, topP);
  const mass = row.reduce((s, _, v) => s + (kept[v] ? w[v] : 0), 0);
  return row.map((_, v) => (kept[v] ? w[v] / mass : 0));
}

/**
 * GPU draws equal the CPU reference's, except where f32 rounding (exp, sums) decides: a row
 * may differ only if nudging its uniform or topP by 1e-5 makes the f64 reference agree, and
 * such rows must be rare (V·1e-6-ish per row).
 */
function expectSameDraws(
  got: Draws,
  want: Draws,
  logits: Float32Array,
  uniforms: Float32Array,
  V: number,
  temperature: number,
  topP: number,
  label: string,
): void {
  const nudges = [-1e-5, 0, 1e-5];
  let differing = 0;
  for (let b = 0; b < want.ids.length; b++) {
    if (got.ids[b] === want.ids[b]) {
      const err = Math.abs(got.logp[b] - want.logp[b]) / Math.max(1, Math.abs(want.logp[b]));
      expect(err, `${label}: logp of row ${b}`).toBeLessThanOrEqual(1e-5);
      continue;
    }
    differing++;
    const x = logits.subarray(b * V, (b + 1) * V);
    const explained = nudges.some((du) =>
      nudges.some((dp) => {
        const u = Math.min(Math.max(uniforms[b] + du, 0), 1 - 1e-9);
        const ids = new Int32Array(1);
        const d = { B: 1, V, temperature, topP: Math.min(1, topP + dp) };
        sampleTokens(ids, new Float64Array(1), x, [u], d);
        return ids[0] === got.ids[b];
      }),
    );
    expect(explained, `${label}: row ${b} drew ${got.ids[b]}, reference ${want.ids[b]}`).toBe(true);
  }
  expect(differing, label).toBeLessThanOrEqual(Math.ceil(want.ids.length / 200));
}

function counts(ids: number[], V: number): number[] {
  const c = new Array<number>(V).fill(0);
  for (const id of ids) c[id]++;
  return c;
}

describe('sampleTokens', () => {
  const row = [2.0, 1.4, 1.0, 0.2, -0.5, -3];

  it('picks the same tokens on WebGPU and on the CPU over many rows', async () => {
    const gpu = await getGpuBackend();
    const rng = new Rng(21);
    // Rows of fresh random logits, and one row shared by 2000 draws.
    const B = 512;
    const V = 300;
    const logits = randn(rng, B * V, 2);
    const uniforms = Float32Array.from({ length: B }, () => rng.next());
    const same = repeated(row, 2000, rng);
    for (const [temperature, topP] of [
      [1, 1],
      [0.9, 0.8],
      [1.5, 0.3],
    ]) {
      const label = `temperature ${temperature} topP ${topP}`;
      const want = await sample(cpu, logits, uniforms, V, temperature, topP);
      const got = await sample(gpu, logits, uniforms, V, temperature, topP);
      expectSameDraws(got, want, logits, uniforms, V, temperature, topP, label);
      const a = await sample(cpu, same.logits, same.uniforms, row.length, temperature, topP);
      const b = await sample(gpu, same.logits, same.uniforms, row.length, temperature, topP);
      expectSameDraws(b, a, same.logits, same.uniforms, row.length, temperature, topP, label);
    }
  });

  it('draws with the frequencies of the truncated distribution, never from the tail (CPU)', async () => {
    const N = 20_000;
    const { logits, uniforms } = repeated(row, N, new Rng(5));
    for (const [temperature, topP] of [
      [1, 1],
      [0.8, 0.9],
      [2, 0.6],
    ]) {
      const probs = truncated(row, temperature, topP);
      const { ids } = await sample(cpu, logits, uniforms, row.length, temperature, topP);
      const seen = counts(ids, row.length);
      let chi2 = 0;
      let df = -1;
      for (let v = 0; v < row.length; v++) {
        if (probs[v] === 0) {
          expect(seen[v], `token ${v} is outside the nucleus`).toBe(0);
          continue;
        }
        chi2 += (seen[v] - N * probs[v]) ** 2 / (N * probs[v]);
        df++;
      }
      // 99.9% quantiles of χ² for df = 1…5.
      expect(chi2, `temperature ${temperature} topP ${topP}`).toBeLessThan(
        [10.8, 13.8, 16.3, 18.5, 20.5][df - 1],
      );
    }
  });

  it('keeps the smallest nucleus with mass ≥ topP', async () => {
    // Probabilities 0.5, 0.3, 0.15, 0.05 at temperature 1.
    const probs = [0.5, 0.3, 0.15, 0.05];
    const lg = probs.map(Math.log);
    const { logits, uniforms } = repeated(lg, 200, new Rng(9));
    for (const be of [cpu, await getGpuBackend()]) {
      for (const [topP, size] of [
        [0.45, 1],
        [0.75, 2],
        [0.85, 3],
        [0.97, 4],
      ]) {
        const seen = counts((await sample(be, logits, uniforms, 4, 1, topP)).ids, 4);
        expect(
          seen.map((c) => c > 0),
          `${be.kind} topP ${topP}`,
        ).toEqual([0, 1, 2, 3].map((v) => v < size));
      }
    }
  });

  it('breaks probability ties by token id, inside the nucleus and in the draw', async () => {
    // Ten equal logits, topP 0.35: the nucleus is tokens 0…3 and u picks ⌊4u⌋.
    const us = [0, 0.24, 0.26, 0.5, 0.74, 0.76, 0.999];
    const logits = new Float32Array(10 * us.length).fill(0.5);
    for (const be of [cpu, await getGpuBackend()]) {
      const { ids, logp } = await sample(be, logits, us, 10, 1, 0.35);
      expect(ids, be.kind).toEqual([0, 0, 1, 2, 2, 3, 3]);
      for (const lp of logp) expect(lp).toBeCloseTo(Math.log(0.1), 6);
    }
  });

  it('temperature 0 is argmax (lowest id on ties), whatever the uniforms', async () => {
    const logits = [0, 3, 1, 3, -1, 2, 2, 0.5];
    for (const be of [cpu, await getGpuBackend()]) {
      const { ids } = await sample(be, logits, [0.99, 0.01], 4, 0, 1);
      expect(ids, be.kind).toEqual([1, 1]);
    }
  });

  it('returns the untruncated temperature-1 log-prob of the chosen token', async () => {
    const rng = new Rng(3);
    const B = 64;
    const V = 40;
    const logits = randn(rng, B * V, 2);
    const uniforms = Float32Array.from({ length: B }, () => rng.next());
    const x = tensorOf(cpu, [B, V], logits);
    const logSoftmax = cpu.tensor([B, V]);
    cpu.logSoftmax(logSoftmax, x);
    const table = (await cpu.read(logSoftmax)) as Float32Array;
    for (const be of [cpu, await getGpuBackend()]) {
      for (const [temperature, topP] of [
        [0.5, 0.7],
        [0, 1],
      ]) {
        const { ids, logp } = await sample(be, logits, uniforms, V, temperature, topP);
        const want = ids.map((id, b) => table[b * V + id]);
        expect(maxRelativeError(logp, want), `${be.kind} ${temperature}`).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  it('refuses bad settings and bad uniforms, naming the op', async () => {
    const gpu = await getGpuBackend();
    for (const be of [cpu, gpu]) {
      const x = be.tensor([2, 5]);
      const u = be.tensor([2]);
      const ids = be.tensor([2], 'i32');
      const lp = be.tensor([2]);
      expect(() => be.sampleTokens(ids, lp, x, u, -1, 1)).toThrow(/^sampleTokens: temperature/);
      expect(() => be.sampleTokens(ids, lp, x, u, 1, 0)).toThrow(/^sampleTokens: topP/);
      expect(() => be.sampleTokens(lp, lp, x, u, 1, 1)).toThrow(
        /^sampleTokens: ids .* must be i32/,
      );
      const short = be.tensor([3]);
      expect(() => be.sampleTokens(ids, lp, x, short, 1, 1)).toThrow(/^sampleTokens: uniforms/);
      for (const t of [x, u, ids, lp, short]) be.release(t);
    }
    const x = tensorOf(cpu, [1, 3], [0, 1, 2]);
    const u = tensorOf(cpu, [1], [1]);
    const [ids, lp] = [cpu.tensor([1], 'i32'), cpu.tensor([1])];
    expect(() => cpu.sampleTokens(ids, lp, x, u, 1, 1)).toThrow(/^sampleTokens: uniforms\[0\] = 1/);
  });
});

interface Token {
  logp: number;
  logpOld: number;
  logpRef: number;
  adv: number;
  mask: number;
}

async function grpo(
  be: Backend,
  tokens: Token[],
  clipEps: number,
  beta: number,
  normaliser: number,
) {
  const N = tokens.length;
  const col = (k: keyof Token) =>
    tensorOf(
      be,
      [N],
      tokens.map((t) => t[k]),
    );
  const ins = [col('logp'), col('logpOld'), col('logpRef'), col('adv'), col('mask')] as const;
  const [logp, logpOld, logpRef, adv, mask] = ins;
  const group = { logp, logpOld, logpRef, adv, mask };
  const [loss, dlogp, kl, clipped] = [0, 1, 2, 3].map(() =>
    tensorOf(be, [N], new Array(N).fill(99)),
  );
  be.grpoTokenLoss(loss, dlogp, group, { clipEps, beta, normaliser });
  be.grpoTokenStats(kl, clipped, group, clipEps);
  const [l, g, k, c] = await readAll(be, [loss, dlogp, kl, clipped, ...ins]);
  return { loss: l, dlogp: g, kl: k, clipped: c };
}

describe('grpoTokenLoss', () => {
  /** A token whose ratio to the old policy is `ratio`, at the reference policy, advantage A. */
  const tok = (ratio: number, adv: number): Token => ({
    logp: -1,
    logpOld: -1 - Math.log(ratio),
    logpRef: -1,
    adv,
    mask: 1,
  });

  it('matches hand-computed values inside and outside the clip range, for A > 0 and A < 0', async () => {
    // ε = 0.2, β = 0, normaliser 1: loss = −min(r·A, clip(r)·A), dlogp = −r·A unless clipped.
    const tokens = [
      tok(1.1, 1),
      tok(1.5, 1),
      tok(0.5, 1),
      tok(1.1, -1),
      tok(1.5, -1),
      tok(0.5, -1),
      tok(1.5, 0),
    ];
    const want = {
      loss: [-1.1, -1.2, -0.5, 1.1, 1.5, 0.8, 0],
      dlogp: [-1.1, 0, -0.5, 1.1, 1.5, 0, 0],
      clipped: [0, 1, 0, 0, 0, 1, 0],
      kl: [0, 0, 0, 0, 0, 0, 0],
    };
    for (const be of [cpu, await getGpuBackend()]) {
      const got = await grpo(be, tokens, 0.2, 0, 1);
      for (const key of ['loss', 'dlogp', 'clipped', 'kl'] as const) {
        got[key].forEach((v, i) =>
          expect(v, `${be.kind} ${key}[${i}]`).toBeCloseTo(want[key][i], 5),
        );
      }
    }
  });

  it('adds β·k3 with its gradient, scales by mask/normaliser and zeroes masked tokens', async () => {
    // logpRef − logp = d = ln 2: k3 = 2 − ln 2 − 1, ∂k3/∂logp = 1 − e^d = −1.
    const d = Math.log(2);
    const tokens: Token[] = [
      { logp: -2, logpOld: -2, logpRef: -2 + d, adv: 0.5, mask: 1 },
      { logp: -2, logpOld: -2, logpRef: -2 + d, adv: 0.5, mask: 0.5 },
      { logp: 1e30, logpOld: -1, logpRef: -1, adv: 3, mask: 0 }, // garbage under the mask
    ];
    const k3 = 2 - d - 1;
    for (const be of [cpu, await getGpuBackend()]) {
      const got = await grpo(be, tokens, 0.2, 0.1, 4);
      expect(got.loss[0]).toBeCloseTo((-0.5 + 0.1 * k3) / 4, 6);
      expect(got.dlogp[0]).toBeCloseTo((-0.5 + 0.1 * -1) / 4, 6);
      expect(got.loss[1]).toBeCloseTo((0.5 * (-0.5 + 0.1 * k3)) / 4, 6);
      expect(got.dlogp[1]).toBeCloseTo((0.5 * (-0.5 + 0.1 * -1)) / 4, 6);
      expect(got.kl[0]).toBeCloseTo(k3, 6);
      expect(got.kl[1]).toBeCloseTo(0.5 * k3, 6);
      expect([got.loss[2], got.dlogp[2], got.kl[2], got.clipped[2]], be.kind).toEqual([0, 0, 0, 0]);
    }
  });

  it('gradient matches central finite differences in f64', () => {
    const rng = new Rng(17);
    const N = 200;
    const clipEps = 0.2;
    const cols = ['logp', 'logpOld', 'logpRef', 'adv', 'mask'].map(() => new Float64Array(N));
    const [logp, logpOld, logpRef, adv, mask] = cols;
    for (let n = 0; n < N; n++) {
      logp[n] = rng.uniform(-5, 0);
      // Keep ratios away from the kinks at 1 ± ε, where the derivative jumps.
      let r: number;
      do r = Math.exp(rng.normal(0, 0.4));
      while (Math.abs(r - (1 + clipEps)) < 1e-3 || Math.abs(r - (1 - clipEps)) < 1e-3);
      logpOld[n] = logp[n] - Math.log(r);
      logpRef[n] = logp[n] + rng.normal(0, 0.5);
      adv[n] = rng.normal(0, 1);
      mask[n] = rng.chance(0.1) ? 0 : rng.pick([1, 0.5]);
    }
    const d = { N, clipEps, beta: 0.05, normaliser: 13 };
    const loss = new Float64Array(N);
    const dlogp = new Float64Array(N);
    grpoTokenLoss(loss, dlogp, { logp, logpOld, logpRef, adv, mask }, d);
    const h = 1e-6;
    const numeric = Array.from(logp, (_, n) => {
      const at = (x: number) => {
        const lp = Float64Array.from(logp);
        lp[n] = x;
        const l = new Float64Array(N);
        grpoTokenLoss(l, new Float64Array(N), { logp: lp, logpOld, logpRef, adv, mask }, d);
        return l.reduce((a, b) => a + b, 0);
      };
      return (at(logp[n] + h) - at(logp[n] - h)) / (2 * h);
    });
    expect(maxRelativeError(dlogp, numeric)).toBeLessThanOrEqual(1e-6);
    expect(dlogp.filter((g) => g === 0).length).toBeGreaterThan(0); // some clipped or masked
    expect(Math.max(...Array.from(dlogp, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('refuses bad settings, naming the op', async () => {
    for (const be of [cpu, await getGpuBackend()]) {
      const t = Array.from({ length: 7 }, () => be.tensor([4]));
      const [a, b, logp, logpOld, logpRef, adv, mask] = t;
      const tokens = { logp, logpOld, logpRef, adv, mask };
      const loss = (clipEps: number, beta: number, normaliser: number) => () =>
        be.grpoTokenLoss(a, b, tokens, { clipEps, beta, normaliser });
      expect(loss(1, 0, 1)).toThrow(/^grpoTokenLoss: clipEps/);
      expect(loss(0.2, -1, 1)).toThrow(/^grpoTokenLoss: beta/);
      expect(loss(0.2, 0, 0)).toThrow(/^grpoTokenLoss: normaliser/);
      const short = be.tensor([3]);
      expect(() => be.grpoTokenStats(a, b, { ...tokens, mask: short }, 0.2)).toThrow(
        /^grpoTokenStats: sizes differ/,
      );
      for (const x of [...t, short]) be.release(x);
    }
  });
});

describe('decode ops refuse bad positions and shapes', () => {
  it('names the op', async () => {
    for (const be of [cpu, await getGpuBackend()]) {
      const shape = { B: 2, T: 4, NH: 1, HS: 2 };
      const qkv = be.tensor([2, 4, 6]);
      const out = be.tensor([2, 2]);
      expect(() => be.attentionStep(out, qkv, 4, null, shape)).toThrow(
        /^attentionStep: pos must be an integer in \[0,4\)/,
      );
      expect(() => be.attentionStep(qkv, qkv, 0, null, shape)).toThrow(/^attentionStep: out/);
      const row = be.tensor([2, 6]);
      expect(() => be.writeRow(qkv, row, -1)).toThrow(/^writeRow: pos/);
      expect(() => be.writeRow(out, row, 0)).toThrow(/^writeRow: dst .* must be 3-D/);
      expect(() => be.writeRow(qkv, out, 0)).toThrow(/^writeRow: src/);
      for (const t of [qkv, out, row]) be.release(t);
    }
  });
});
