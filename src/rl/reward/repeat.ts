// The rate of repeated actions in forecasts (the λ_rep ablation's measure): of all forecast
// steps after the first, the share that repeat the step before exactly (type, target and
// argument). One definition for the training metrics and the experiment's table.
import type { PlanStep } from '../lang/action-language';

const same = (a: PlanStep, b: PlanStep) =>
  a.type === b.type && (a.target ?? '') === (b.target ?? '') && (a.arg ?? '') === (b.arg ?? '');

/** Steps of one forecast that repeat the step before, and the steps that could (n − 1). */
export function repeatsIn(steps: readonly PlanStep[]): { repeats: number; pairs: number } {
  let repeats = 0;
  for (let t = 1; t < steps.length; t++) if (same(steps[t], steps[t - 1])) repeats++;
  return { repeats, pairs: Math.max(0, steps.length - 1) };
}

export function repeatRate(forecasts: readonly (readonly PlanStep[])[]): number {
  let pairs = 0;
  let repeats = 0;
  for (const steps of forecasts) {
    const r = repeatsIn(steps);
    pairs += r.pairs;
    repeats += r.repeats;
  }
  return pairs === 0 ? 0 : repeats / pairs;
}
