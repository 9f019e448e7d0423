// Forecasters: what the receding-horizon agent asks for a plan. A forecast input is what the
// planner sees plus the horizon H the agent keeps (1 = the reactive agent). The planner's
// forecaster encodes every prompt, decodes them with the KV-cache sampler in chunks of the
// planner's batch size (greedy by default) and parses each into at most H steps.
import type { Rng } from '../../rng';
import { parseForecast, planText, type FormatError, type PlanStep } from '../lang';
import { resolveMarks } from '../../text/marks';
import type { Vocab } from '../../text/vocab';
import { encodePrompt, type PromptInput } from '../model/encode';
import type { Planner } from '../model/planner';
import type { SampleSettings, Sampler } from '../model/sample';

export interface ForecastInput extends PromptInput {
  /** Most steps to keep (1 = the reactive agent). */
  H: number;
}

export interface Forecast {
  /** The kept steps in the action language. */
  text: string;
  /** Parsed steps, at most H (the agent executes only the first). */
  steps: PlanStep[];
  errors: FormatError[];
  /** Sampled token ids through <eos>, when a model wrote it. */
  ids?: number[];
}

/** Forecasts for many inputs at once (one sampler pass per chunk of the planner's batch). */
export interface BatchForecaster {
  forecast(inputs: readonly ForecastInput[]): Promise<Forecast[]>;
}

/** A one-input forecaster (a test spy, the viewer's) as a BatchForecaster, one at a time. */
export function oneByOne(f: (input: ForecastInput) => Promise<Forecast>): BatchForecaster {
  return {
    async forecast(inputs) {
      const out: Forecast[] = [];
      for (const input of inputs) out.push(await f(input));
      return out;
    },
  };
}

/**
 * Parses sampled ids as training scores them (label marks expanded with the prompt's
 * labels); with a horizon H shorter than the model's, keeps the first H steps (and only the
 * format errors that concern them). `ids` stay as sampled.
 */
export function forecastOf(
  vocab: Vocab,
  ids: number[],
  H: number,
  modelH: number,
  labels: readonly string[] = [],
): Forecast {
  const readable = resolveMarks(vocab, ids, labels);
  if (H >= modelH) {
    const parsed = parseForecast(vocab, readable, { H });
    return { text: planText(parsed.steps), steps: parsed.steps, errors: parsed.errors, ids };
  }
  const parsed = parseForecast(vocab, readable, { H: Number.MAX_SAFE_INTEGER });
  const steps = parsed.steps.slice(0, H);
  // Errors of the steps kept, and whole-forecast ones except "too many" (we cut it ourselves).
  const errors = parsed.errors.filter(
    (e) =>
      e.step < H && e.code !== 'too-many-steps' && !(e.code === 'early-done' && e.step >= H - 1),
  );
  return { text: planText(steps), steps, errors, ids };
}

export const GREEDY: SampleSettings = { temperature: 0, topP: 1 };

export class PlannerForecaster implements BatchForecaster {
  /** Sampler passes, prompts decoded and seconds spent in forecast() (for speed reports). */
  calls = 0;
  prompts = 0;
  seconds = 0;
  /** Forecasts decoded without a format error (of `prompts`). */
  wellFormed = 0;

  /** `rng` draws the sampler's uniforms (irrelevant when greedy, the default). */
  constructor(
    private readonly planner: Planner,
    private readonly sampler: Sampler,
    private readonly vocab: Vocab,
    private readonly rng: Rng,
    private readonly sampling: SampleSettings = GREEDY,
  ) {}

  async forecast(inputs: readonly ForecastInput[]): Promise<Forecast[]> {
    const started = performance.now();
    const { planner, vocab } = this;
    const { B } = planner;
    const out: Forecast[] = [];
    const encoded = inputs.map((input) => encodePrompt(vocab, planner.config, planner.dims, input));
    for (let from = 0; from < encoded.length; from += B) {
      const chunk = encoded.slice(from, from + B);
      // The last chunk is padded with copies of its first prompt; their forecasts are dropped.
      const padded = [...chunk, ...Array(B - chunk.length).fill(chunk[0])];
      const s = await this.sampler.sample(padded, this.sampling, this.rng);
      this.calls++;
      this.prompts += chunk.length;
      for (let b = 0; b < chunk.length; b++) {
        const ids = Array.from(s.ids.subarray(b * s.F, b * s.F + s.lengths[b]));
        const { labels } = chunk[b];
        const forecast = forecastOf(vocab, ids, inputs[from + b].H, planner.config.horizon, labels);
        if (forecast.errors.length === 0) this.wellFormed++;
        out.push(forecast);
      }
    }
    this.seconds += (performance.now() - started) / 1000;
    return out;
  }
}
