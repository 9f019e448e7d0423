// The learning-rate schedule: linear warm-up over the first `warmupUpdates`, then constant or
// a cosine decay to 10 % of the base rate at the stage's last update. A pure function of the
// update index, so a resumed run continues on the same curve.
import type { OptimiserSettings } from './config/schema';

const COSINE_FLOOR = 0.1;

/** Learning rate of update `update` (from 1) of `updates`, for base rate `base`. */
export function scheduledLr(
  opt: OptimiserSettings,
  base: number,
  update: number,
  updates: number,
): number {
  if (opt.warmupUpdates > 0 && update <= opt.warmupUpdates)
    return (base * update) / opt.warmupUpdates;
  if (opt.schedule === 'constant') return base;
  const span = Math.max(1, updates - opt.warmupUpdates);
  const progress = Math.min(1, (update - opt.warmupUpdates) / span);
  return base * (COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
