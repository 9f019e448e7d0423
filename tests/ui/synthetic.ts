// Synthetic UpdateMetrics for tests only: a seeded run through stages 0 → 1 → 2 with curves
// that move (reward rises, KL grows, entropy falls), evaluations every 100 updates, H = 5.
import { Rng } from '../../src/rng';
import type { Stage, UpdateMetrics } from '../../src/rl/metrics';

export interface SyntheticOptions {
  count: number;
  /** Run-wide index of the first record (to continue a run). */
  from?: number;
  seed?: number;
  horizon?: number;
  /** Rows at which stages 1 and 2 begin. */
  stageStarts?: [number, number];
}

export function syntheticMetrics(options: SyntheticOptions): UpdateMetrics[] {
  const { count, from = 0, seed = 1, horizon = 5 } = options;
  const [s1, s2] = options.stageStarts ?? [500, 6000];
  const rng = new Rng(seed + from);
  const out: UpdateMetrics[] = [];
  for (let i = from; i < from + count; i++) {
    const stage: Stage = i < s1 ? 0 : i < s2 ? 1 : 2;
    const update = i - (stage === 0 ? 0 : stage === 1 ? s1 : s2) + 1;
    const progress = i / 10_000;
    const noise = () => rng.normal(0, 0.03);
    const reward = stage === 0 ? NaN : Math.min(1, 0.2 + 0.6 * progress + noise());
    out.push({
      stage,
      update,
      elapsed: i * 0.5,
      loss: 2 * Math.exp(-3 * progress) + noise(),
      reward,
      rewardComponents: stage === 0 ? {} : { alignment: reward * 0.9, format: 0.9 + noise() },
      rewardPerStep:
        stage === 0 ? [] : Array.from({ length: horizon }, (_, t) => reward * 0.8 ** t),
      kl: stage === 0 ? 0 : 0.01 * progress + Math.abs(noise()) * 0.01,
      entropy: 1.5 - progress + noise(),
      clipFraction: stage === 0 ? 0 : 0.1 + noise(),
      gradNorm: 1 + Math.abs(rng.normal(0, 0.5)),
      learningRate: 3e-4,
      tokensPerSecond: 4000 + rng.normal(0, 100),
      updatesPerSecond: 2 + rng.normal(0, 0.1),
      ...(i % 100 === 99
        ? { evaluation: { mobile: { success: progress }, desktop: { success: progress / 2 } } }
        : {}),
    });
  }
  return out;
}
