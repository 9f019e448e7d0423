// Decoding and GRPO-loss cases: writeRow into first, middle and last positions; attentionStep
// at positions inside and past the prefix (causal, partial, whole and past-the-end prefixes);
// sampleTokens greedy, full, top-p and low-temperature, with tied logits and V up to 3000;
// grpoTokenLoss/Stats with ratios on both sides of the clip range, both advantage signs and
// masked tokens holding garbage (they must come out exactly 0).
import type { AttentionShape, Backend, Tensor } from '../backend';
import type { OpCase } from '../selftest';
import type { Rng } from '../../rng';
import { dims, finish, normalTensor, uniformTensor } from './inputs';

/** [dst shape (B,T,W), pos] */
const ROWS: [[number, number, number], number][] = [
  [[1, 1, 1], 0],
  [[3, 7, 15], 4],
  [[2, 33, 96], 32],
];

const writeRowCases = ROWS.map(([shape, pos]): OpCase => ({
  op: 'writeRow',
  name: `writeRow ${dims(shape)} pos=${pos}`,
  async run(be, rng) {
    const [B, , W] = shape;
    const dst = normalTensor(be, rng, shape);
    const src = normalTensor(be, rng, [B, W]);
    be.writeRow(dst, src, pos);
    return finish(be, [dst], [dst, src]);
  },
}));

interface StepCase {
  shape: AttentionShape;
  pos: number;
  prefix: number[] | null;
}

const STEPS: StepCase[] = [
  { shape: { B: 1, T: 1, NH: 1, HS: 1 }, pos: 0, prefix: null },
  { shape: { B: 2, T: 5, NH: 2, HS: 3 }, pos: 1, prefix: [3, 0] },
  { shape: { B: 3, T: 7, NH: 1, HS: 5 }, pos: 6, prefix: [7, 1, 9] },
  { shape: { B: 1, T: 33, NH: 3, HS: 8 }, pos: 20, prefix: null },
  { shape: { B: 2, T: 300, NH: 4, HS: 16 }, pos: 257, prefix: [40, 17] },
];

const stepCases = STEPS.map(({ shape, pos, prefix }): OpCase => {
  const { B, T, NH, HS } = shape;
  const C = NH * HS;
  const mask = prefix ? `prefix [${prefix.join(',')}]` : 'causal';
  return {
    op: 'attentionStep',
    name: `attentionStep B=${B} T=${T} NH=${NH} HS=${HS} pos=${pos} ${mask}`,
    async run(be, rng) {
      const qkv = normalTensor(be, rng, [B, T, 3 * C]);
      const out = normalTensor(be, rng, [B, C], 100); // overwritten
      let prefixLen: Tensor | null = null;
      if (prefix) {
        prefixLen = be.tensor([B], 'i32');
        be.write(prefixLen, prefix);
      }
      be.attentionStep(out, qkv, pos, prefixLen, shape);
      return finish(be, [out], [qkv, out, ...(prefixLen ? [prefixLen] : [])]);
    },
  };
});

interface SampleCase {
  B: number;
  V: number;
  temperature: number;
  topP: number;
  /** Logits drawn from a few values, so many tokens tie. */
  tied?: boolean;
}

const SAMPLES: SampleCase[] = [
  { B: 1, V: 1, temperature: 1, topP: 1 },
  { B: 64, V: 7, temperature: 0, topP: 1, tied: true },
  { B: 257, V: 100, temperature: 1, topP: 1 },
  { B: 257, V: 100, temperature: 0.7, topP: 0.9 },
  { B: 64, V: 33, temperature: 1, topP: 0.5, tied: true },
  { B: 16, V: 3000, temperature: 1.3, topP: 0.95 },
  { B: 16, V: 3000, temperature: 0, topP: 1 },
];

function logitsTensor(be: Backend, rng: Rng, c: SampleCase): Tensor {
  const data = new Float32Array(c.B * c.V);
  for (let i = 0; i < data.length; i++) data[i] = c.tied ? rng.int(0, 3) : rng.normal(0, 2);
  const t = be.tensor([c.B, c.V]);
  be.write(t, data);
  return t;
}

const sampleCases = SAMPLES.map((c): OpCase => ({
  op: 'sampleTokens',
  name: `sampleTokens ${dims([c.B, c.V])} temperature=${c.temperature} topP=${c.topP}${c.tied ? ' tied' : ''}`,
  async run(be, rng) {
    const logits = logitsTensor(be, rng, c);
    const uniforms = uniformTensor(be, rng, [c.B], 0, 1);
    const ids = be.tensor([c.B], 'i32');
    const logp = normalTensor(be, rng, [c.B], 100); // overwritten
    be.sampleTokens(ids, logp, logits, uniforms, c.temperature, c.topP);
    return finish(be, [ids, logp], [logits, uniforms, ids, logp]);
  },
}));

/** The five per-token inputs of the GRPO loss; masked tokens hold huge garbage log-probs. */
function grpoInputs(be: Backend, rng: Rng, N: number): Tensor[] {
  const logp = new Float32Array(N);
  const logpOld = new Float32Array(N);
  const logpRef = new Float32Array(N);
  const adv = new Float32Array(N);
  const mask = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    logp[n] = rng.uniform(-6, 0);
    logpOld[n] = logp[n] + rng.normal(0, 0.4); // ratios inside and outside [0.8, 1.2]
    logpRef[n] = logp[n] + rng.normal(0, 0.5);
    adv[n] = rng.pick([-1.5, -0.3, 0, 0.7, 2]);
    mask[n] = rng.chance(0.2) ? 0 : 1;
    if (mask[n] === 0) logp[n] = 1e30;
  }
  return [logp, logpOld, logpRef, adv, mask].map((data) => {
    const t = be.tensor([N]);
    be.write(t, data);
    return t;
  });
}

const GRPO: number[] = [1, 1000, 70_001];

const grpoCases = GRPO.flatMap((N): OpCase[] => [
  {
    op: 'grpoTokenLoss',
    name: `grpoTokenLoss N=${N} clipEps=0.2 beta=0.01`,
    async run(be, rng) {
      const ins = grpoInputs(be, rng, N);
      const loss = normalTensor(be, rng, [N], 100); // overwritten
      const dlogp = normalTensor(be, rng, [N], 100); // overwritten
      const [logp, logpOld, logpRef, adv, mask] = ins;
      const tokens = { logp, logpOld, logpRef, adv, mask };
      be.grpoTokenLoss(loss, dlogp, tokens, { clipEps: 0.2, beta: 0.01, normaliser: 37 });
      return finish(be, [loss, dlogp], [loss, dlogp, ...ins]);
    },
  },
  {
    op: 'grpoTokenStats',
    name: `grpoTokenStats N=${N} clipEps=0.2`,
    async run(be, rng) {
      const ins = grpoInputs(be, rng, N);
      const kl = normalTensor(be, rng, [N], 100); // overwritten
      const clipped = normalTensor(be, rng, [N], 100); // overwritten
      const [logp, logpOld, logpRef, adv, mask] = ins;
      be.grpoTokenStats(kl, clipped, { logp, logpOld, logpRef, adv, mask }, 0.2);
      return finish(be, [kl, clipped], [kl, clipped, ...ins]);
    },
  },
]);

export const cases: OpCase[] = [...writeRowCases, ...stepCases, ...sampleCases, ...grpoCases];
