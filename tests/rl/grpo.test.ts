// The GRPO math against hand-computed values, the backend kernels against that math, and the
// loss wiring of stage 1 (GrpoLoss + the planner) against the CPU math on a seeded batch, on
// the CPU and WebGPU backends: advantages, per-token loss and its gradient, KL, clip fraction
// and entropy. The sign of the whole chain (dlogp → backwardLogp → parameter gradients) is
// checked by a directional derivative of the objective.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { captureCheckpoint } from '../../src/rl/model/checkpoint';
import { PRESETS } from '../../src/rl/model/config';
import { packBatch } from '../../src/rl/model/encode';
import { DEFAULT_OPTIMIZER, Planner } from '../../src/rl/model/planner';
import { Sampler } from '../../src/rl/model/sample';
import {
  clippedSurrogate,
  clippedSurrogateGrad,
  groupAdvantages,
  grpoObjective,
  GrpoLoss,
  grpoMinibatchUpdate,
  grpoUpdate,
  isClipped,
  k3Kl,
  k3KlGrad,
  ReferencePolicy,
  sampleGroups,
  softmaxEntropy,
  tokenWeights,
  type GrpoTokens,
  type LossNormalisation,
  type Rollout,
} from '../../src/rl/grpo';
import { Rng } from '../../src/rng';
import { getGpuBackend } from '../kernels/gpu';
import { testVocab, worldExamples } from './model-fixtures';

describe('GRPO math (hand-computed)', () => {
  it('group advantages: zero mean, unit population std per group; equal rewards give 0', () => {
    const a = groupAdvantages([0.2, 0.5, 0.8, 1, 0, 1, 0.3, 0.3, 0.3], 3);
    // Group 1: mean 0.5, std √0.06 = 0.244949.
    expect(a[0]).toBeCloseTo(-0.3 / (0.244949 + 1e-6), 5);
    expect(a[1]).toBe(0);
    expect(a[2]).toBeCloseTo(0.3 / (0.244949 + 1e-6), 5);
    // Group 2: mean 2/3, std √2/3 = 0.471405.
    expect(a[3]).toBeCloseTo(1 / 3 / 0.471405, 4);
    expect(a[4]).toBeCloseTo(-2 / 3 / 0.471405, 4);
    expect([...a.slice(6)]).toEqual([0, 0, 0]);
    expect(() => groupAdvantages([1, 2, 3], 2)).toThrow(/G=2 does not divide 3/);
  });

  it('clipped surrogate: the min picks the pessimistic term; clipped tokens pass no gradient', () => {
    const eps = 0.2;
    // A > 0: a ratio above 1+ε is clipped to 1.2; below, the ratio itself counts.
    expect(clippedSurrogate(1.5, 1, eps)).toBeCloseTo(-1.2, 12);
    expect(clippedSurrogateGrad(1.5, 1, eps)).toBe(0);
    expect(clippedSurrogate(0.5, 1, eps)).toBeCloseTo(-0.5, 12);
    expect(clippedSurrogateGrad(0.5, 1, eps)).toBeCloseTo(-0.5, 12);
    // A < 0: a ratio below 1−ε is clipped (−min(−0.5, −0.8) = 0.8); above, it counts in full.
    expect(clippedSurrogate(0.5, -1, eps)).toBeCloseTo(0.8, 12);
    expect(clippedSurrogateGrad(0.5, -1, eps)).toBe(0);
    expect(clippedSurrogate(1.5, -2, eps)).toBeCloseTo(3, 12);
    expect(clippedSurrogateGrad(1.5, -2, eps)).toBeCloseTo(3, 12);
    // The boundary itself is not clipped (the gradient flows), nor is A = 0.
    expect(isClipped(1.2, 1, eps)).toBe(false);
    expect(isClipped(5, 0, eps)).toBe(false);
    // Away from the kinks the gradient is the derivative with respect to logp (ρ = e^logp).
    for (const [logp, A] of [
      [0.1, 0.7],
      [-0.4, 0.7],
      [0.05, -1.3],
      [-0.6, -1.3],
    ]) {
      const h = 1e-6;
      const f = (x: number) => clippedSurrogate(Math.exp(x), A, eps);
      const numeric = (f(logp + h) - f(logp - h)) / (2 * h);
      expect(clippedSurrogateGrad(Math.exp(logp), A, eps)).toBeCloseTo(numeric, 6);
    }
  });

  it('k3 KL: hand value, zero at equality, its gradient, and unbiased for KL(π‖ref)', () => {
    // logp = log ½, logpRef = log ¼: e^(−ln 2) + ln 2 − 1 = 0.5 + 0.693147 − 1.
    expect(k3Kl(Math.log(0.5), Math.log(0.25))).toBeCloseTo(0.193147, 6);
    expect(k3KlGrad(Math.log(0.5), Math.log(0.25))).toBeCloseTo(0.5, 12);
    expect(k3Kl(-1.7, -1.7)).toBe(0);
    const h = 1e-6;
    const numeric = (k3Kl(-0.3 + h, -1.1) - k3Kl(-0.3 - h, -1.1)) / (2 * h);
    expect(k3KlGrad(-0.3, -1.1)).toBeCloseTo(numeric, 6);
    // E_{x~π}[k3(x)] = Σ π log(π/ref) exactly.
    const pi = [0.5, 0.3, 0.2];
    const ref = [0.2, 0.2, 0.6];
    const expected = pi.reduce((s, p, i) => s + p * k3Kl(Math.log(p), Math.log(ref[i])), 0);
    const kl = pi.reduce((s, p, i) => s + p * Math.log(p / ref[i]), 0);
    expect(expected).toBeCloseTo(kl, 12);
  });

  it('token weights and the batch objective, per token and per sequence', () => {
    expect([...tokenWeights([2, 1, 0], 'token')]).toEqual([1 / 3, 1 / 3, 0]);
    expect([...tokenWeights([2, 1], 'sequence')]).toEqual([1 / 4, 1 / 2]);
    // Row 0: two tokens, A = 1, ratios e^0 = 1 and e^0.5 (clipped); row 1: one token, A = −1.
    const x: GrpoTokens = {
      F: 2,
      lengths: [2, 1],
      logp: [-1, -0.5, -2, 0],
      logpOld: [-1, -1, -2, 0],
      logpRef: [-1, -1, -1, 0],
      adv: [1, -1],
    };
    const s = { clipEps: 0.2, beta: 0.1 };
    const pg = [-1, -1.2, 1];
    const kl = [0, k3Kl(-0.5, -1), k3Kl(-2, -1)];
    const perToken = pg.map((p, i) => p + 0.1 * kl[i]);
    const tok = grpoObjective(x, { ...s, normalisation: 'token' });
    expect(tok.loss).toBeCloseTo((perToken[0] + perToken[1] + perToken[2]) / 3, 12);
    expect(tok.kl).toBeCloseTo((kl[1] + kl[2]) / 3, 12);
    expect(tok.clipFraction).toBeCloseTo(1 / 3, 12);
    expect(tok.dlogp[0]).toBeCloseTo(-1 / 3, 12);
    expect(tok.dlogp[1]).toBeCloseTo((0.1 * k3KlGrad(-0.5, -1)) / 3, 12);
    expect(tok.dlogp[2]).toBeCloseTo((Math.exp(0) * 1 + 0.1 * k3KlGrad(-2, -1)) / 3, 12);
    expect(tok.dlogp[3]).toBe(0); // past row 1's length
    const seq = grpoObjective(x, { ...s, normalisation: 'sequence' });
    expect(seq.loss).toBeCloseTo((perToken[0] + perToken[1]) / 4 + perToken[2] / 2, 12);
    expect(seq.clipFraction).toBeCloseTo(1 / 4, 12);
  });

  it('softmax entropy: uniform is log V, a point mass is 0', () => {
    expect(softmaxEntropy([3, 3, 3, 3])).toBeCloseTo(Math.log(4), 12);
    expect(softmaxEntropy([0, 1000, 0])).toBeCloseTo(0, 12);
    expect(softmaxEntropy([9, 0, 1, 2, 9], 1, 3)).toBeCloseTo(softmaxEntropy([0, 1, 2]), 12);
  });
});

// ---------------------------------------------------------------------------------------------
// The kernels against the math

async function kernelsMatchMath(be: Backend): Promise<void> {
  const rng = new Rng(17);
  const N = 300;
  const G = 5;
  const rewards = Float32Array.from({ length: N }, (_, i) =>
    i % 15 < 5 ? 0.25 : Math.round(rng.next() * 8) / 8,
  );
  const logp = Float32Array.from({ length: N }, () => -3 * rng.next());
  const logpOld = logp.map((x) => x + (rng.next() - 0.5) * 0.8);
  const logpRef = logp.map((x) => x + (rng.next() - 0.5) * 1.5);
  const mask = Float32Array.from({ length: N }, () => (rng.next() < 0.8 ? 1 : 0));
  const t = (data: Float32Array) => {
    const x = be.tensor([N]);
    be.write(x, data);
    return x;
  };
  const [r, lp, lpOld, lpRef, m] = [rewards, logp, logpOld, logpRef, mask].map(t);
  const [adv, loss, dlogp, kl, clipped] = [0, 1, 2, 3, 4].map(() => be.tensor([N]));
  be.groupNormalize(adv, r, G);
  const advHost = (await be.read(adv)) as Float32Array;
  const want = groupAdvantages(rewards, G);
  for (let i = 0; i < N; i++) expect(advHost[i], `adv ${i}`).toBeCloseTo(want[i], 4);
  expect([...advHost.slice(0, 5)]).toEqual([0, 0, 0, 0, 0]);
  const tokens = { logp: lp, logpOld: lpOld, logpRef: lpRef, adv, mask: m };
  be.grpoTokenLoss(loss, dlogp, tokens, { clipEps: 0.2, beta: 0.05, normaliser: 7 });
  be.grpoTokenStats(kl, clipped, tokens, 0.2);
  const [lossH, dH, klH, clipH] = (await Promise.all(
    [loss, dlogp, kl, clipped].map((x) => be.read(x)),
  )) as Float32Array[];
  let clippedCount = 0;
  for (let i = 0; i < N; i++) {
    const ratio = Math.exp(logp[i] - logpOld[i]);
    const A = advHost[i];
    const w = mask[i] / 7;
    const wantLoss = w * (clippedSurrogate(ratio, A, 0.2) + 0.05 * k3Kl(logp[i], logpRef[i]));
    const wantD = w * (clippedSurrogateGrad(ratio, A, 0.2) + 0.05 * k3KlGrad(logp[i], logpRef[i]));
    expect(Math.abs(lossH[i] - wantLoss), `loss ${i}`).toBeLessThan(1e-5);
    expect(Math.abs(dH[i] - wantD), `dlogp ${i}`).toBeLessThan(1e-5);
    expect(Math.abs(klH[i] - mask[i] * k3Kl(logp[i], logpRef[i])), `kl ${i}`).toBeLessThan(1e-5);
    const c = mask[i] && isClipped(ratio, A, 0.2) ? 1 : 0;
    expect(clipH[i], `clipped ${i}`).toBe(c);
    clippedCount += c;
  }
  // The case mixes both branches.
  expect(clippedCount).toBeGreaterThan(10);
  expect(clippedCount).toBeLessThan(N / 2);
  for (const x of [r, lp, lpOld, lpRef, m, adv, loss, dlogp, kl, clipped]) be.release(x);
}

describe('groupNormalize and grpoTokenLoss/Stats match the math', () => {
  it('on the CPU backend', async () => kernelsMatchMath(new CpuBackend()));
  it('on WebGPU', async () => kernelsMatchMath(await getGpuBackend()));
});

// ---------------------------------------------------------------------------------------------
// The wiring: GrpoLoss over a real rollout of the tiny planner

// The shape this seeded batch was made for: a 32-token budget, no label words.
const CONFIG = { ...PRESETS.tiny, forecastTokens: 32, elementWords: 0 };
const PROMPTS = 2;
const G = 3;
const B = PROMPTS * G;

interface Wired {
  be: Backend;
  policy: Planner;
  reference: ReferencePolicy;
  loss: GrpoLoss;
  rollout: Rollout;
  rewards: Float32Array;
}

/**
 * A policy (seed 1) that took a few SFT steps away from the reference (its start), a sampled
 * rollout, seeded rewards with one all-equal group, and logpOld shifted so some ratios clip.
 */
async function wire(be: Backend): Promise<Wired> {
  const vocab = testVocab();
  const policy = new Planner(be, CONFIG, vocab.size, B);
  policy.init(new Rng(1));
  const reference = new ReferencePolicy(
    be,
    await captureCheckpoint(policy, vocab, DEFAULT_OPTIMIZER),
    B,
  );
  const examples = worldExamples(CONFIG, B, 3);
  const sft = { ...DEFAULT_OPTIMIZER, lr: 3e-3 };
  policy.writeBatch(packBatch(policy.dims, vocab, examples));
  for (let s = 0; s < 3; s++) policy.trainStep(sft, 1);
  const sampler = new Sampler(policy, vocab);
  const prompts = examples.slice(0, PROMPTS).map((e) => e.prompt);
  const rollout = await sampleGroups(
    sampler,
    vocab,
    policy.dims,
    prompts,
    G,
    { temperature: 1, topP: 1 },
    new Rng(9),
  );
  sampler.release();
  const rng = new Rng(4);
  rollout.logpOld.forEach((x, i) => (rollout.logpOld[i] = x + (rng.next() - 0.5) * 0.6));
  const rewards = Float32Array.from({ length: B }, (_, b) => (b < G ? 0.4 : rng.next()));
  return { be, policy, reference, loss: new GrpoLoss(policy), rollout, rewards };
}

/** Host copies of the forecast positions of a (B·T) tensor, as (B, F). */
function forecastRows(w: Wired, bt: Float32Array): Float64Array {
  const { P, T } = w.policy.dims;
  const F = w.rollout.F;
  const out = new Float64Array(B * F);
  for (let b = 0; b < B; b++)
    for (let j = 0; j < w.rollout.lengths[b]; j++) out[b * F + j] = bt[b * T + P - 1 + j];
  return out;
}

const SETTINGS = { clipEps: 0.2, beta: 0.1 };

async function wiringMatchesMath(be: Backend, normalisation: LossNormalisation): Promise<void> {
  const w = await wire(be);
  const { policy, loss, rollout, rewards } = w;
  loss.upload(rollout, rewards, normalisation);
  loss.advantages(G);
  const logpRef = w.reference.logp(rollout.batch);
  policy.writeBatch(rollout.batch);
  policy.forward();
  loss.entropy();
  loss.tokenLoss(logpRef, SETTINGS);
  policy.zeroGrad();
  policy.backwardLogp(loss.dlogp);
  policy.clip(1e9);
  loss.gradNorm();
  const stats = await loss.read();
  const read = async (t: Parameters<Backend['read']>[0]) => (await be.read(t)) as Float32Array;
  const logp = await read(policy.acts.logp);
  const ref = await read(logpRef);
  const logits = await read(policy.acts.logits);
  const dlogp = await read(loss.dlogp);
  const adv = await read(loss.adv);
  const gradNorm = (await read(policy.acts.gradNorm))[0];

  const wantAdv = groupAdvantages(rewards, G);
  for (let b = 0; b < B; b++) expect(adv[b], `adv ${b}`).toBeCloseTo(wantAdv[b], 4);
  const tokens: GrpoTokens = {
    F: rollout.F,
    lengths: rollout.lengths,
    logp: forecastRows(w, logp),
    logpOld: rollout.logpOld,
    logpRef: forecastRows(w, ref),
    adv: wantAdv,
  };
  const want = grpoObjective(tokens, { ...SETTINGS, normalisation });
  // The policy moved away from the reference, and some ratios clip: every term is exercised.
  expect(want.kl).toBeGreaterThan(1e-3);
  expect(want.clipFraction).toBeGreaterThan(0.05);
  expect(stats.loss).toBeCloseTo(want.loss, 4);
  expect(stats.kl).toBeCloseTo(want.kl, 4);
  expect(stats.clipFraction).toBeCloseTo(want.clipFraction, 5);
  const gotD = forecastRows(w, dlogp);
  let worst = 0;
  for (let i = 0; i < gotD.length; i++) worst = Math.max(worst, Math.abs(gotD[i] - want.dlogp[i]));
  expect(worst).toBeLessThan(1e-5);
  // Nothing outside the forecast tokens carries a gradient.
  const inside = forecastRows(w, dlogp).reduce((s, x) => s + Math.abs(x), 0);
  expect(dlogp.reduce((s, x) => s + Math.abs(x), 0)).toBeCloseTo(inside, 5);
  // Entropy: the same weights over each forecast position's softmax.
  const { T, P, V } = policy.dims;
  const weights = tokenWeights(rollout.lengths, normalisation);
  let entropy = 0;
  for (let b = 0; b < B; b++)
    for (let j = 0; j < rollout.lengths[b]; j++)
      entropy += weights[b] * softmaxEntropy(logits, (b * T + P - 1 + j) * V, V);
  expect(stats.entropy).toBeCloseTo(entropy, 3);
  expect(stats.gradNorm).toBeCloseTo(gradNorm, 5);
  expect(gradNorm).toBeGreaterThan(0);
}

describe('GRPO loss wiring equals the CPU math on a seeded batch', () => {
  it('CPU backend, per-token normalisation', async () => {
    await wiringMatchesMath(new CpuBackend(), 'token');
  });
  it('CPU backend, per-sequence normalisation', async () => {
    await wiringMatchesMath(new CpuBackend(), 'sequence');
  });
  it('WebGPU, per-token normalisation', async () => {
    await wiringMatchesMath(await getGpuBackend(), 'token');
  });
});

describe('the parameter gradient descends the GRPO objective', () => {
  it('a step along −grad lowers the objective by ‖grad‖ per unit length (CPU)', async () => {
    const be = new CpuBackend();
    const w = await wire(be);
    const { policy, loss, rollout, rewards } = w;
    loss.upload(rollout, rewards, 'token');
    loss.advantages(G);
    const logpRef = Float64Array.from(
      forecastRows(w, (await be.read(w.reference.logp(rollout.batch))) as Float32Array),
    );
    const adv = groupAdvantages(rewards, G);
    const objective = async (): Promise<number> => {
      policy.writeBatch(rollout.batch);
      policy.forward();
      const logp = forecastRows(w, (await be.read(policy.acts.logp)) as Float32Array);
      const x = {
        F: rollout.F,
        lengths: rollout.lengths,
        logp,
        logpOld: rollout.logpOld,
        logpRef,
        adv,
      };
      return grpoObjective(x, { ...SETTINGS, normalisation: 'token' }).loss;
    };
    policy.writeBatch(rollout.batch);
    policy.forward();
    loss.tokenLoss(w.reference.planner.acts.logp, SETTINGS);
    policy.zeroGrad();
    policy.backwardLogp(loss.dlogp);
    const grads = (await be.read(policy.flat.grads)) as Float32Array;
    const theta = (await be.read(policy.flat.params)) as Float32Array;
    const norm = Math.sqrt(grads.reduce((s, g) => s + g * g, 0));
    expect(norm).toBeGreaterThan(1e-3);
    const h = 1e-3;
    const at = async (sign: number) => {
      be.write(
        policy.flat.params,
        theta.map((p, i) => p + (sign * h * grads[i]) / norm),
      );
      return objective();
    };
    const slope = ((await at(1)) - (await at(-1))) / (2 * h);
    // Along +grad the objective rises at rate ‖grad‖ (so AdamW's −grad step lowers it).
    expect(slope / norm).toBeGreaterThan(0.95);
    expect(slope / norm).toBeLessThan(1.05);
  });
});

describe('inner epochs reuse the samples', () => {
  it('epoch 0 runs the sampling policy; later epochs see ratios ≠ 1 and clip (CPU)', async () => {
    const be = new CpuBackend();
    const vocab = testVocab();
    const policy = new Planner(be, CONFIG, vocab.size, B);
    policy.init(new Rng(5));
    const reference = new ReferencePolicy(
      be,
      await captureCheckpoint(policy, vocab, DEFAULT_OPTIMIZER),
      B,
    );
    const sampler = new Sampler(policy, vocab);
    const prompts = worldExamples(CONFIG, PROMPTS, 3).map((e) => e.prompt);
    const rollout = await sampleGroups(
      sampler,
      vocab,
      policy.dims,
      prompts,
      G,
      { temperature: 1, topP: 1 },
      new Rng(2),
    );
    const rewards = Float32Array.from([0, 1, 0.5, 1, 0, 0.2]);
    const loss = new GrpoLoss(policy);
    const settings = {
      ...SETTINGS,
      innerEpochs: 1,
      gradClip: 1,
      normalisation: 'token' as const,
      optimizer: { ...DEFAULT_OPTIMIZER, lr: 1e-2 },
    };
    grpoUpdate(policy, reference, loss, rollout, rewards, settings);
    const one = await loss.read();
    // Epoch 0: the policy is the reference and the sampler (ratio = 1 up to f32 rounding).
    expect(one.kl).toBeLessThan(1e-6);
    expect(one.clipFraction).toBe(0);
    expect(one.gradNorm).toBeGreaterThan(0);
    grpoUpdate(policy, reference, loss, rollout, rewards, { ...settings, innerEpochs: 3 });
    const three = await loss.read();
    expect(policy.step).toBe(4);
    expect(three.kl).toBeGreaterThan(1e-4);
    expect(three.clipFraction).toBeGreaterThan(0);
  });
});

/** Token-weighted mean |ρ − 1| over a batch ('token' weights), the CPU math of ratioDeviation. */
function meanRatioDeviation(x: GrpoTokens): number {
  const w = tokenWeights(x.lengths, 'token');
  let out = 0;
  for (let b = 0; b < x.lengths.length; b++)
    for (let t = 0; t < x.lengths[b]; t++) {
      const n = b * x.F + t;
      out += w[b] * Math.abs(Math.exp(x.logp[n] - x.logpOld[n]) - 1);
    }
  return out;
}

describe('a rollout batch in minibatches', () => {
  /** Twin policies (same seed), a frozen reference, and two minibatches sampled up front. */
  async function setup(be: Backend) {
    const vocab = testVocab();
    const make = () => {
      const p = new Planner(be, CONFIG, vocab.size, B);
      p.init(new Rng(5));
      return p;
    };
    const policy = make();
    const twin = make();
    const reference = new ReferencePolicy(
      be,
      await captureCheckpoint(policy, vocab, DEFAULT_OPTIMIZER),
      B,
    );
    const sampler = new Sampler(policy, vocab);
    const examples = worldExamples(CONFIG, 2 * PROMPTS, 3);
    const rng = new Rng(2);
    const minibatches = [];
    for (let k = 0; k < 2; k++) {
      const prompts = examples.slice(k * PROMPTS, (k + 1) * PROMPTS).map((e) => e.prompt);
      const rollout = await sampleGroups(
        sampler,
        vocab,
        policy.dims,
        prompts,
        G,
        { temperature: 1, topP: 1 },
        rng,
      );
      const rewards = Float32Array.from({ length: B }, (_, b) => ((b * 7 + k * 3) % 5) / 4);
      minibatches.push({ rollout, rewards });
    }
    sampler.release();
    const settings = {
      ...SETTINGS,
      innerEpochs: 1,
      gradClip: 1,
      normalisation: 'token' as const,
      optimizer: { ...DEFAULT_OPTIMIZER, lr: 1e-2 },
    };
    return { vocab, policy, twin, reference, minibatches, settings };
  }

  it('one minibatch, one epoch: ratio 1 and nothing clipped; more steps: ratios move and clip (CPU)', async () => {
    const be = new CpuBackend();
    const { policy, twin, reference, minibatches, settings } = await setup(be);
    const one = new GrpoLoss(policy);
    grpoMinibatchUpdate(policy, reference, one, minibatches.slice(0, 1), settings);
    const first = await one.read();
    expect(first.steps).toBe(1);
    expect(first.clipFraction).toBe(0);
    expect(first.ratioDeviation).toBeLessThan(1e-4);
    const many = new GrpoLoss(twin);
    grpoMinibatchUpdate(twin, reference, many, minibatches, { ...settings, innerEpochs: 2 });
    const four = await many.read();
    expect(four.steps).toBe(4);
    expect(twin.step).toBe(4);
    expect(four.clipFraction).toBeGreaterThan(0);
    expect(four.ratioDeviation).toBeGreaterThan(1e-2);
  });

  it('each step is the CPU objective of its minibatch at the policy of that moment (CPU)', async () => {
    const be = new CpuBackend();
    const { policy, twin, reference, minibatches, settings } = await setup(be);
    const [m1, m2] = minibatches;
    const read = async (t: Parameters<Backend['read']>[0]) => (await be.read(t)) as Float32Array;
    const rowsOf = (p: Planner, r: Rollout, bt: Float32Array) => {
      const { P, T } = p.dims;
      const out = new Float64Array(B * r.F);
      for (let b = 0; b < B; b++)
        for (let j = 0; j < r.lengths[b]; j++) out[b * r.F + j] = bt[b * T + P - 1 + j];
      return out;
    };
    /** The CPU objective of minibatch m under the twin's current weights. */
    const cpuObjective = async (m: (typeof minibatches)[number]) => {
      const logpRef = rowsOf(twin, m.rollout, await read(reference.logp(m.rollout.batch)));
      twin.writeBatch(m.rollout.batch);
      twin.forward();
      const logp = rowsOf(twin, m.rollout, await read(twin.acts.logp));
      const x: GrpoTokens = {
        F: m.rollout.F,
        lengths: m.rollout.lengths,
        logp,
        logpOld: m.rollout.logpOld,
        logpRef,
        adv: groupAdvantages(m.rewards, G),
      };
      return {
        ...grpoObjective(x, { ...SETTINGS, normalisation: 'token' }),
        dev: meanRatioDeviation(x),
      };
    };
    // The twin replays the two steps one at a time, with the CPU math before each.
    const want1 = await cpuObjective(m1);
    grpoMinibatchUpdate(twin, reference, new GrpoLoss(twin), [m1], settings);
    const want2 = await cpuObjective(m2);
    expect(want2.dev).toBeGreaterThan(1e-2);

    const loss = new GrpoLoss(policy);
    grpoMinibatchUpdate(policy, reference, loss, minibatches, settings);
    const got = await loss.read();
    const mean = (a: number, b: number) => (a + b) / 2;
    expect(got.loss).toBeCloseTo(mean(want1.loss, want2.loss), 4);
    expect(got.kl).toBeCloseTo(mean(want1.kl, want2.kl), 5);
    expect(got.clipFraction).toBeCloseTo(mean(want1.clipFraction, want2.clipFraction), 5);
    expect(got.ratioDeviation).toBeCloseTo(mean(want1.dev, want2.dev), 4);
    // The last step's gradient is the second minibatch's, at the weights after the first step.
    const gotD = rowsOf(policy, m2.rollout, await read(loss.dlogp));
    let worst = 0;
    for (let i = 0; i < gotD.length; i++)
      worst = Math.max(worst, Math.abs(gotD[i] - want2.dlogp[i]));
    expect(worst).toBeLessThan(1e-5);
  });
});
