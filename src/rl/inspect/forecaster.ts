// A Forecaster backed by the planner: encode what it sees, decode one forecast with the
// KV-cache sampler (greedy at temperature 0), parse it. The reactive agent is the same call
// with H = 1: its forecast is cut to the first step and parsed with a horizon of one.
import type { Rng } from '../../rng';
import { parseForecast, planText } from '../lang/action-language';
import type { Vocab } from '../lang/vocab';
import { encodePrompt } from '../model/encode';
import type { Planner } from '../model/planner';
import { Sampler, type SampleSettings } from '../model/sample';
import type { Forecast, Forecaster, ForecastInput } from './receding';

export interface PlannerForecaster {
  forecast: Forecaster;
  release(): void;
}

/** Forecasts with `planner` (built for B = 1); `rng` feeds the sampler's uniforms. */
export function plannerForecaster(
  planner: Planner,
  vocab: Vocab,
  sampling: SampleSettings,
  rng: Rng,
): PlannerForecaster {
  if (planner.B !== 1)
    throw new Error(`plannerForecaster: the planner holds B=${planner.B}, not 1`);
  const sampler = new Sampler(planner, vocab);
  const forecast = async (input: ForecastInput): Promise<Forecast> => {
    const prompt = encodePrompt(vocab, planner.config, planner.dims, input);
    const s = await sampler.sample([prompt], sampling, rng);
    const ids = Array.from(s.ids.subarray(0, s.lengths[0]));
    return forecastOf(vocab, ids, input.H, planner.config.horizon);
  };
  return { forecast, release: () => sampler.release() };
}

/**
 * Parses sampled ids as training scores them; with a horizon H shorter than the model's,
 * keeps the first H steps (and only the format errors that concern them).
 */
export function forecastOf(vocab: Vocab, ids: number[], H: number, modelH: number): Forecast {
  if (H >= modelH) {
    const parsed = parseForecast(vocab, ids, { H });
    return { text: planText(parsed.steps), steps: parsed.steps, errors: parsed.errors, ids };
  }
  const parsed = parseForecast(vocab, ids, { H: Number.MAX_SAFE_INTEGER });
  const steps = parsed.steps.slice(0, H);
  // Errors of the steps kept, and whole-forecast ones except "too many" (we cut it ourselves).
  const errors = parsed.errors.filter(
    (e) =>
      e.step < H && e.code !== 'too-many-steps' && !(e.code === 'early-done' && e.step >= H - 1),
  );
  return { text: planText(steps), steps, errors, ids };
}
