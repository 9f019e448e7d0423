// State of the Agent viewer: which task and seed, single or side-by-side, the recorded
// episodes the inspect worker played (replaced wholesale), and the step being looked at.
// Side by side, the reactive agent (H = 1) and the anticipatory one (the planner's H) play
// the same task and seed with the same weights; the step index is shared.
import type { AgentResult } from '../../workers/inspect/types';
import { initialApp, templatesOf } from '../components/task-catalog';
import { waitFor, type Wait } from '../state/wait';
import { inspectClient } from './inspect-client.svelte';

export type Mode = 'single' | 'side-by-side';

export class AgentViewerState {
  readonly client = inspectClient();
  app = $state(initialApp('settings'));
  templateId = $state('');
  seed = $state(1);
  /** 0 = greedy decoding. */
  temperature = $state(0);
  mode = $state<Mode>('single');
  step = $state(0);
  busy = $state(false);
  /** The episode being played, for its progress line. */
  playing = $state.raw<Wait | null>(null);
  error = $state<string | null>(null);
  /** The anticipatory agent's episode (the planner's own H). */
  anticipatory = $state.raw<AgentResult | null>(null);
  /** The reactive agent's episode (H = 1), side by side only. */
  reactive = $state.raw<AgentResult | null>(null);

  readonly templates = $derived(templatesOf(this.app));
  /** Frames of the longer episode: its steps plus the final screen. */
  readonly lastStep = $derived(
    Math.max(
      this.anticipatory?.trace.steps.length ?? 0,
      this.mode === 'side-by-side' ? (this.reactive?.trace.steps.length ?? 0) : 0,
    ),
  );

  #run = 0;

  constructor() {
    this.templateId = this.templates[0]?.id ?? '';
  }

  selectApp(app: string): void {
    this.app = app;
    this.templateId = templatesOf(app)[0]?.id ?? '';
    void this.play();
  }

  selectTemplate(id: string): void {
    this.templateId = id;
    void this.play();
  }

  selectSeed(seed: number): void {
    this.seed = Number.isFinite(seed) ? Math.max(0, Math.floor(seed)) : 0;
    void this.play();
  }

  selectTemperature(t: number): void {
    this.temperature = Number.isFinite(t) ? Math.min(2, Math.max(0, t)) : 0;
    void this.play();
  }

  selectMode(mode: Mode): void {
    this.mode = mode;
    void this.play();
  }

  /** Plays the episode(s) for the current choices; a newer request wins over an older one. */
  async play(): Promise<void> {
    if (!this.templateId) return;
    const run = ++this.#run;
    this.busy = true;
    this.playing = waitFor(
      this.mode === 'side-by-side' ? 'Playing both agents’ episodes' : 'Playing the episode',
    );
    this.error = null;
    const base = { template: this.templateId, seed: this.seed, temperature: this.temperature };
    try {
      const anticipatory = await this.client.agent({ ...base, H: 'model' });
      const reactive =
        this.mode === 'side-by-side' ? await this.client.agent({ ...base, H: 1 }) : null;
      if (run !== this.#run) return;
      this.anticipatory = anticipatory;
      this.reactive = reactive;
      this.step = 0;
    } catch (e) {
      if (run === this.#run) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (run === this.#run) {
        this.busy = false;
        this.playing = null;
      }
    }
  }

  goTo(step: number): void {
    this.step = Math.max(0, Math.min(this.lastStep, step));
  }

  next(): void {
    this.goTo(this.step + 1);
  }

  previous(): void {
    this.goTo(this.step - 1);
  }
}
