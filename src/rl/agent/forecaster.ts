// Forecasters: what the receding-horizon agent asks for a plan. The planner's forecaster
// encodes each prompt, decodes all of them with the KV-cache sampler in chunks of the
// planner's batch size (greedy by default), and parses the ids into at most H steps.
import type { Rng } from '../../rng';
import { idsToText, parseForecast, type FormatError, type PlanStep } from '../lang';
import type { Vocab } from '../lang/vocab';
import { encodePrompt, type PromptInput } from '../model/encode';
import type { Planner } from '../model/planner';
import type { SampleSettings, Sampler } from '../model/sample';

export interface Forecast {
  /** Parsed steps, at most H (the agent executes only the first). */
  steps: PlanStep[];
  /** The forecast as text, for inspection. */
  text: string;
  errors: FormatError[];
}

export interface Forecaster {
  /** Most steps a forecast keeps: the horizon. */
  readonly H: number;
  forecast(inputs: readonly PromptInput[]): Promise<Forecast[]>;
}

export const GREEDY: SampleSettings = { temperature: 0, topP: 1 };

export interface PlannerForecasterOptions {
  /** Horizon the agent keeps (default: the planner's own config.horizon). */
  H?: number;
  sampling?: SampleSettings;
  /** Draws the sampler's uniforms (irrelevant when greedy). */
  rng: Rng;
}

export class PlannerForecaster implements Forecaster {
  readonly H: number;
  /** Sampler calls and prompts decoded so far (for speed reports). */
  calls = 0;
  prompts = 0;
  private readonly sampling: SampleSettings;

  constructor(
    private readonly planner: Planner,
    private readonly sampler: Sampler,
    private readonly vocab: Vocab,
    private readonly opts: PlannerForecasterOptions,
  ) {
    this.H = opts.H ?? planner.config.horizon;
    if (!Number.isInteger(this.H) || this.H < 1)
      throw new Error(`PlannerForecaster: H must be ≥ 1, got ${this.H}`);
    this.sampling = opts.sampling ?? GREEDY;
  }

  async forecast(inputs: readonly PromptInput[]): Promise<Forecast[]> {
    const { planner, vocab } = this;
    const { B } = planner;
    const out: Forecast[] = [];
    const encoded = inputs.map((input) => encodePrompt(vocab, planner.config, planner.dims, input));
    for (let from = 0; from < encoded.length; from += B) {
      const chunk = encoded.slice(from, from + B);
      // The last chunk is padded with copies of its first prompt; their forecasts are dropped.
      const padded = [...chunk, ...Array(B - chunk.length).fill(chunk[0])];
      const s = await this.sampler.sample(padded, this.sampling, this.opts.rng);
      this.calls++;
      this.prompts += chunk.length;
      for (let b = 0; b < chunk.length; b++) {
        const ids = Array.from(s.ids.subarray(b * s.F, b * s.F + s.lengths[b]));
        const parsed = parseForecast(vocab, ids, { H: planner.config.horizon });
        out.push({
          steps: parsed.steps.slice(0, this.H),
          text: idsToText(vocab, ids),
          errors: parsed.errors,
        });
      }
    }
    return out;
  }
}
