// The GRPO loss wiring on the backend (math.ts has the same math on the CPU). One GrpoLoss per
// policy planner; its buffers are allocated once, in one pool, for the planner's B and T:
//
//   rewards(B) ─groupNormalize→ adv(B,1) ─matmul with ones(1,T)→ advTok(B,T)
//   grpoTokenLoss(logp = planner.acts.logp, logpOld, logpRef, advTok, mask) → loss, dlogp
//   grpoTokenStats → kl, clipped;   entropy from the planner's logits and probs
//
// Token layout: every per-token tensor is (B·T), the planner's logp layout; forecast token j
// of row b sits at P−1+j. mask carries the normalisation weights (see math.ts):
//   'token':    mask = 1 on row b's first len_b forecast positions, normaliser = Σ len_b
//   'sequence': mask = 1/len_b there,                              normaliser = B
// so Σ loss is the objective either way, and the same weights give weighted means of KL,
// clipped tokens and entropy. Each gradient step's stats are normalised by its own minibatch's
// normaliser and ADDED into one small pool across the minibatches and inner epochs of an update
// (reset() at its start); read() returns their means, with one readback per update.
//
// Mean |ρ − 1| has no kernel of its own; it is had from grpoTokenLoss with A = −1, β = 0 and
// normaliser 1, whose dlogp is mask·ρ (with ε = 1 − 1e-6 nothing above ρ = 1e-6 is clipped,
// and a clipped token gives 0 there, i.e. |ρ − 1| within 1e-6), minus the mask, rectified.
import type { GrpoTokens, Tensor } from '../../kernels/backend';
import { Layout, take } from '../../kernels/layout';
import type { Planner } from '../model/planner';
import type { LossNormalisation } from './math';
import type { Rollout } from './rollout';

export interface GrpoLossSettings {
  clipEps: number;
  beta: number;
}

/** What read() returns: means over the update (loss, KL, clip, norm over its inner epochs). */
export interface GrpoStats {
  loss: number;
  kl: number;
  clipFraction: number;
  /** Token-weighted mean |ρ − 1|: how far each step's policy is from the sampling one. */
  ratioDeviation: number;
  /** Gradient steps taken (minibatches × inner epochs). */
  steps: number;
  /** Mean token entropy of the sampling policy (first epoch's forward). */
  entropy: number;
  gradNorm: number;
}

const STATS = ['loss', 'kl', 'clipped', 'entropy', 'gradNorm', 'ratioDev'] as const;
/** The clip range of the |ρ − 1| probe (see the header); grpoTokenLoss needs ε < 1. */
const PROBE_EPS = 1 - 1e-6;
type StatName = (typeof STATS)[number];

export class GrpoLoss {
  readonly rewards: Tensor;
  /** (B, 1) group-normalised advantages. */
  readonly adv: Tensor;
  /** (B, T) the advantage of each row at every position. */
  readonly advTok: Tensor;
  /** (B·T) normalisation weights at forecast positions, 0 elsewhere. */
  readonly mask: Tensor;
  /** (B·T) sampling log-probs at forecast positions. */
  readonly logpOld: Tensor;
  /** (B·T) per-token loss and its gradient ∂L/∂logp (backwardLogp's input). */
  readonly loss: Tensor;
  readonly dlogp: Tensor;
  private readonly ones: Tensor;
  private readonly minusOnesTok: Tensor;
  private readonly kl: Tensor;
  private readonly clipped: Tensor;
  private readonly entropyTok: Tensor;
  /** entropyTok's forecast rows per sequence (with the planner's forecast views), or null. */
  private readonly entropyRows: Tensor[] | null;
  private readonly statsAll: Tensor;
  private readonly tmp: Tensor;
  private readonly stat: Record<StatName, Tensor>;
  private readonly pools: Tensor[];
  private normaliser = 1;
  private steps = 0;
  private entropySteps = 0;

  constructor(private readonly policy: Planner) {
    const { be, B } = policy;
    const { T } = policy.dims;
    const f = new Layout();
    f.add('rewards', [B]);
    f.add('adv', [B, 1]);
    f.add('ones', [1, T]);
    f.add('advTok', [B, T]);
    for (const name of [
      'mask',
      'logpOld',
      'loss',
      'dlogp',
      'kl',
      'clipped',
      'entropyTok',
      'minusOnesTok',
    ])
      f.add(name, [B * T]);
    const s = new Layout();
    s.add('tmp', [1]);
    for (const name of STATS) s.add(name, [1]);
    const pool = be.tensor([f.size], 'f32', 'grpo.tokens');
    const statsPool = be.tensor([s.size], 'f32', 'grpo.stats');
    this.pools = [pool, statsPool];
    const v = f.views(be, pool, 0, 'grpo');
    const sv = s.views(be, statsPool, 0, 'grpo.stats');
    this.rewards = take(v, 'rewards');
    this.adv = take(v, 'adv');
    this.ones = take(v, 'ones');
    this.minusOnesTok = take(v, 'minusOnesTok');
    this.advTok = take(v, 'advTok');
    this.mask = take(v, 'mask');
    this.logpOld = take(v, 'logpOld');
    this.loss = take(v, 'loss');
    this.dlogp = take(v, 'dlogp');
    this.kl = take(v, 'kl');
    this.clipped = take(v, 'clipped');
    this.entropyTok = take(v, 'entropyTok');
    this.statsAll = statsPool;
    this.tmp = take(sv, 'tmp');
    this.stat = Object.fromEntries(STATS.map((n) => [n, take(sv, n)])) as Record<StatName, Tensor>;
    const { P, F } = policy.dims;
    this.entropyRows = policy.forecast
      ? Array.from({ length: B }, (_, b) =>
          be.view(this.entropyTok, b * T + P - 1, [F], 'grpo.entropyTok.forecast'),
        )
      : null;
    be.write(this.ones, new Float32Array(T).fill(1));
    be.write(this.minusOnesTok, new Float32Array(B * T).fill(-1));
  }

  /** Zeroes the stats: the start of an update (one or more minibatches and epochs). */
  reset(): void {
    this.steps = 0;
    this.entropySteps = 0;
    this.policy.be.zero(this.statsAll);
  }

  /** Uploads one minibatch's rewards, sampling log-probs and weights (stats are kept). */
  upload(r: Rollout, rewards: Float32Array, normalisation: LossNormalisation): void {
    const { be, B } = this.policy;
    const { T, P } = this.policy.dims;
    if (r.B !== B || rewards.length !== B)
      throw new Error(`GrpoLoss.upload: ${r.B} rows, ${rewards.length} rewards, planner B=${B}`);
    const mask = new Float32Array(B * T);
    const logpOld = new Float32Array(B * T);
    for (let b = 0; b < B; b++) {
      const len = r.lengths[b];
      const w = normalisation === 'token' ? 1 : 1 / Math.max(1, len);
      for (let j = 0; j < len; j++) {
        mask[b * T + P - 1 + j] = w;
        logpOld[b * T + P - 1 + j] = r.logpOld[b * r.F + j];
      }
    }
    this.normaliser = normalisation === 'token' ? Math.max(1, r.tokens) : B;
    be.write(this.rewards, rewards);
    be.write(this.mask, mask);
    be.write(this.logpOld, logpOld);
  }

  /** adv = groupNormalize(rewards) in groups of G, broadcast over every position. */
  advantages(G: number): void {
    const { be } = this.policy;
    be.groupNormalize(this.adv, this.rewards, G);
    be.matmul(this.advTok, this.adv, this.ones);
  }

  /**
   * Mean token entropy of the planner's last forward, H = −Σ_v p log p, added to the stats.
   * dacts.dlogits is the (B·T, V) scratch: backward overwrites it before reading it. With the
   * planner's forecast views only the forecast rows are computed (the others are masked out:
   * whatever finite value they hold, times 0, adds nothing, so the sum is the same).
   */
  entropy(): void {
    const { be, acts, dacts, forecast, B } = this.policy;
    if (forecast && this.entropyRows) {
      for (let b = 0; b < B; b++) {
        be.logSoftmax(forecast.dlogits[b], forecast.logits[b]);
        be.mul(forecast.dlogits[b], forecast.dlogits[b], forecast.probs[b]);
        be.reduce('sum', this.entropyRows[b], forecast.dlogits[b]);
      }
    } else {
      be.logSoftmax(dacts.dlogits, acts.logits);
      be.mul(dacts.dlogits, dacts.dlogits, acts.probs);
      be.reduce('sum', this.entropyTok, dacts.dlogits);
    }
    be.mul(this.entropyTok, this.entropyTok, this.mask);
    this.accumulate('entropy', this.entropyTok, -1 / this.normaliser);
    this.entropySteps++;
  }

  /** Per-token loss and dlogp from the planner's forward; adds loss, KL and clip stats. */
  tokenLoss(logpRef: Tensor, s: GrpoLossSettings): void {
    const { be } = this.policy;
    const tokens = this.tokens(logpRef, this.advTok);
    const settings = { clipEps: s.clipEps, beta: s.beta, normaliser: this.normaliser };
    be.grpoTokenLoss(this.loss, this.dlogp, tokens, settings);
    be.grpoTokenStats(this.kl, this.clipped, tokens, s.clipEps);
    this.accumulate('loss', this.loss, 1);
    this.accumulate('kl', this.kl, 1 / this.normaliser);
    this.accumulate('clipped', this.clipped, 1 / this.normaliser);
    this.ratioDeviation(logpRef);
    this.steps++;
  }

  /** Adds mean |ρ − 1| of the last forward (see the header); kl/clipped/entropyTok as scratch. */
  private ratioDeviation(logpRef: Tensor): void {
    const { be } = this.policy;
    const [x, neg, abs] = [this.clipped, this.kl, this.entropyTok];
    // x = mask·ρ, then mask·(ρ − 1).
    const tokens = this.tokens(logpRef, this.minusOnesTok);
    be.grpoTokenLoss(abs, x, tokens, { clipEps: PROBE_EPS, beta: 0, normaliser: 1 });
    be.scale(neg, this.mask, -1);
    be.add(x, x, neg);
    // |x| = relu(x) + relu(−x).
    be.activation('relu', abs, x);
    be.scale(x, x, -1);
    be.activation('relu', neg, x);
    be.add(abs, abs, neg);
    this.accumulate('ratioDev', abs, 1 / this.normaliser);
  }

  /** The token loss's inputs for the planner's last forward, with advantages `adv`. */
  private tokens(logpRef: Tensor, adv: Tensor): GrpoTokens {
    const { logp } = this.policy.acts;
    return { logp, logpOld: this.logpOld, logpRef, adv, mask: this.mask };
  }

  /** Adds the planner's gradient norm (before clipping) to the stats. */
  gradNorm(): void {
    this.policy.be.add(this.stat.gradNorm, this.stat.gradNorm, this.policy.acts.gradNorm);
  }

  /** The update's one readback. */
  async read(): Promise<GrpoStats> {
    const all = (await this.policy.be.read(this.statsAll)) as Float32Array;
    const at = (name: StatName) => all[this.statsOffset(name)];
    const steps = Math.max(1, this.steps);
    return {
      loss: at('loss') / steps,
      kl: at('kl') / steps,
      clipFraction: at('clipped') / steps,
      ratioDeviation: at('ratioDev') / steps,
      steps: this.steps,
      entropy: at('entropy') / Math.max(1, this.entropySteps),
      gradNorm: at('gradNorm') / steps,
    };
  }

  release(): void {
    for (const p of this.pools) this.policy.be.release(p);
  }

  /** stat += factor · Σ x. */
  private accumulate(name: StatName, x: Tensor, factor: number): void {
    const { be } = this.policy;
    be.reduce('sum', this.tmp, x);
    if (factor !== 1) be.scale(this.tmp, this.tmp, factor);
    be.add(this.stat[name], this.stat[name], this.tmp);
  }

  private statsOffset(name: StatName): number {
    return this.stat[name].offset - this.statsAll.offset;
  }
}
