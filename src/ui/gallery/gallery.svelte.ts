// State of the World gallery: which app, task template and seed are shown, how far along the
// oracle trajectory we are, and whether the set-of-marks overlay is on. The oracle solves the
// task in a worker (src/workers/gallery.worker.ts: its search is too long a task for the page);
// the page observes and draws the worlds it returns (plain TypeScript, a few milliseconds).
import { wrap, type Remote } from 'comlink';
import {
  TEMPLATES,
  describeElements,
  observe,
  render,
  type Frame,
  type Observation,
  type WorldState,
} from '../../envs';
import type { GalleryApi } from '../../workers/gallery.worker';
import type { Trajectory } from '../../workers/gallery/trajectory';
import type { Upcoming } from '../components/draw-frame';
import { initialApp, templatesOf } from '../components/task-catalog';

/** How many upcoming steps are drawn as numbered markers. */
export const MARKER_HORIZON = 3;

/**
 * Create it while a component initialises (it asks its worker for a trajectory whenever the
 * template or the seed changes) and dispose of it with the component.
 */
export class GalleryState {
  app = $state(initialApp());
  templateId = $state(templatesOf(initialApp())[0]?.id ?? '');
  seed = $state(1);
  step = $state(0);
  showMarks = $state(true);

  readonly templates = $derived(templatesOf(this.app));
  readonly template = $derived(TEMPLATES.get(this.templateId));
  /** The shown template's trajectory for the shown seed; null until the worker answers. */
  trajectory = $state.raw<Trajectory | null>(null);
  /** Why no trajectory can be shown (the worker failed). */
  error = $state<string | null>(null);
  readonly lastStep = $derived(this.trajectory ? this.trajectory.steps.length : 0);
  readonly observation: Observation | null = $derived(
    this.trajectory ? observe(this.trajectory.worlds[Math.min(this.step, this.lastStep)]) : null,
  );
  readonly frame: Frame | null = $derived(this.observation ? render(this.observation) : null);
  readonly elementList = $derived(this.observation ? describeElements(this.observation) : '');
  /** The next reference steps (the markers); `here` when taken on the screen now shown. */
  readonly upcoming: Upcoming[] = $derived.by(() => {
    const t = this.trajectory;
    if (!t) return [];
    const screenOf = (w: WorldState) => {
      const obs = observe(w);
      return `${obs.app}/${obs.screen}`;
    };
    const now = screenOf(t.worlds[this.step]);
    return t.steps
      .slice(this.step, this.step + MARKER_HORIZON)
      .map((step, j) => ({ step, here: screenOf(t.worlds[this.step + j]) === now }));
  });

  #worker: Worker | null = null;
  #api: Remote<GalleryApi> | null = null;
  /** Bumped per request, so only the latest answer is shown. */
  #asked = 0;

  constructor() {
    $effect(() => {
      const id = this.template?.id;
      const seed = Number.isFinite(this.seed) ? this.seed : 0;
      if (id !== undefined) void this.#load(id, seed);
    });
  }

  async #load(templateId: string, seed: number): Promise<void> {
    const asked = ++this.#asked;
    try {
      const trajectory = await this.#connect().trajectory(templateId, seed);
      if (asked !== this.#asked) return;
      this.trajectory = trajectory;
      this.step = Math.min(this.step, trajectory.steps.length);
      this.error = null;
    } catch (e) {
      if (asked === this.#asked) this.error = e instanceof Error ? e.message : String(e);
    }
  }

  #connect(): Remote<GalleryApi> {
    if (this.#api) return this.#api;
    // Vite bundles the worker only from this literal `new URL(..., import.meta.url)` form.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const worker = new Worker(new URL('../../workers/gallery.worker.ts', import.meta.url), {
      type: 'module',
      name: 'gallery',
    });
    // A worker that fails to load never answers comlink; say so instead of waiting.
    worker.addEventListener('error', (ev) => {
      this.error = ev.message || 'The gallery worker failed to start.';
      this.dispose();
    });
    this.#worker = worker;
    this.#api = wrap<GalleryApi>(worker);
    return this.#api;
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
  }

  selectApp(app: string): void {
    this.app = app;
    this.templateId = templatesOf(app)[0]?.id ?? '';
    this.step = 0;
  }

  selectTemplate(id: string): void {
    this.templateId = id;
    this.step = 0;
  }

  selectSeed(seed: number): void {
    this.seed = Math.max(0, Math.floor(seed));
    this.step = 0;
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
