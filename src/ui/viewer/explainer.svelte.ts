// State of the GRPO explainer: one prompt (task, seed, position in the oracle episode), the
// group and update settings, and the explained group the inspect worker sends back.
import type { ExplainResult } from '../../workers/inspect/types';
import { initialApp, templatesOf } from '../components/task-catalog';
import { inspectClient } from './inspect-client.svelte';
import { waitFor, type Wait } from '../state/wait';

/** Bounds of the explainer's settings (the page refuses values outside them). */
export const LIMITS = {
  G: { min: 2, max: 8 },
  temperature: { min: 0.1, max: 2 },
  lr: { min: 1e-5, max: 0.1 },
  clipEps: { min: 0.01, max: 1 },
  beta: { min: 0, max: 1 },
} as const;

type Setting = keyof typeof LIMITS;

export class ExplainerState {
  readonly client = inspectClient();
  app = $state(initialApp('settings'));
  templateId = $state('');
  seed = $state(1);
  /** Oracle steps executed before the prompt. */
  t = $state(0);
  G = $state(5);
  temperature = $state(1);
  lr = $state(1e-3);
  clipEps = $state(0.2);
  beta = $state(0.01);
  /** Bumped to draw another group for the same prompt. */
  sample = $state(0);
  busy = $state(false);
  /** The group being sampled and updated, for its progress line. */
  working = $state.raw<Wait | null>(null);
  error = $state<string | null>(null);
  /** Per setting, why the value typed was refused. */
  invalid = $state<Partial<Record<Setting, string>>>({});
  result = $state.raw<ExplainResult | null>(null);

  readonly templates = $derived(templatesOf(this.app));
  #run = 0;

  constructor() {
    this.templateId = this.templates[0]?.id ?? '';
  }

  selectApp(app: string): void {
    this.app = app;
    this.templateId = templatesOf(app)[0]?.id ?? '';
    this.t = 0;
  }

  /** Sets a numeric setting, or records why not (shown beside the field). */
  set(name: Setting, value: number): void {
    const { min, max } = LIMITS[name];
    const integer = name === 'G';
    const ok = Number.isFinite(value) && value >= min && value <= max;
    if (!ok || (integer && !Number.isInteger(value))) {
      this.invalid = {
        ...this.invalid,
        [name]: `must be ${integer ? 'a whole number ' : ''}between ${min} and ${max}`,
      };
      return;
    }
    const rest = { ...this.invalid };
    delete rest[name];
    this.invalid = rest;
    this[name] = value;
  }

  /** Samples a group for the prompt, takes one update, and shows what moved. */
  async explain(another = false): Promise<void> {
    if (!this.templateId || Object.keys(this.invalid).length > 0) return;
    if (another) this.sample++;
    const run = ++this.#run;
    this.busy = true;
    this.working = waitFor(`Sampling ${this.G} forecasts and taking one update`);
    this.error = null;
    try {
      const result = await this.client.group({
        template: this.templateId,
        seed: Math.max(0, Math.floor(this.seed)),
        t: Math.max(0, Math.floor(this.t)),
        G: this.G,
        temperature: this.temperature,
        lr: this.lr,
        clipEps: this.clipEps,
        beta: this.beta,
        sample: this.sample,
      });
      if (run !== this.#run) return;
      this.result = result;
      this.t = result.t;
    } catch (e) {
      if (run === this.#run) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (run === this.#run) {
        this.busy = false;
        this.working = null;
      }
    }
  }
}
