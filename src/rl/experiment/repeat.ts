// The rate of repeated actions in forecasts (the λ_rep ablation): of all forecast steps after
// the first, the share that repeat the step before exactly (type, target and argument).
import type { PlanStep } from '../lang';

const same = (a: PlanStep, b: PlanStep) =>
  a.type === b.type && (a.target ?? '') === (b.target ?? '') && (a.arg ?? '') === (b.arg ?? '');

export function repeatRate(forecasts: readonly (readonly PlanStep[])[]): number {
  let pairs = 0;
  let repeats = 0;
  for (const steps of forecasts)
    for (let t = 1; t < steps.length; t++) {
      pairs++;
      if (same(steps[t], steps[t - 1])) repeats++;
    }
  return pairs === 0 ? 0 : repeats / pairs;
}
