// A Forecaster backed by the planner (built for B = 1) for the viewer: the agent's batched
// PlannerForecaster on one input. Parsing (and the reactive H = 1 cut) is forecastOf.
import type { Rng } from '../../rng';
import { PlannerForecaster } from '../agent/forecaster';
import type { Vocab } from '../../text/vocab';
import type { Planner } from '../model/planner';
import { Sampler, type SampleSettings } from '../model/sample';
import type { Forecaster } from './receding';

export { forecastOf } from '../agent/forecaster';

export interface PlannerForecasterHandle {
  forecast: Forecaster;
  release(): void;
}

/** Forecasts with `planner` (built for B = 1); `rng` feeds the sampler's uniforms. */
export function plannerForecaster(
  planner: Planner,
  vocab: Vocab,
  sampling: SampleSettings,
  rng: Rng,
): PlannerForecasterHandle {
  if (planner.B !== 1)
    throw new Error(`plannerForecaster: the planner holds B=${planner.B}, not 1`);
  const sampler = new Sampler(planner, vocab);
  const batched = new PlannerForecaster(planner, sampler, vocab, rng, sampling);
  const forecast: Forecaster = async (input) => (await batched.forecast([input]))[0];
  return { forecast, release: () => sampler.release() };
}
