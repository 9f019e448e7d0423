// State of the World gallery: which app, task template and seed are shown, how far along the
// oracle trajectory we are, and whether the set-of-marks overlay is on. The oracle solves the
// task in a worker (src/workers/gallery.worker.ts: its search is too long a task for the page),
// which also observes and renders each screen; the page asks for a screen when it is shown and
// only draws it.
import { wrap, type Remote } from 'comlink';
import { TEMPLATES } from '../../envs';
import type { GalleryApi } from '../../workers/gallery.worker';
import type { GalleryScreen, GalleryTrajectory } from '../../workers/gallery/screens';
import type { Upcoming } from '../components/draw-frame';
import { initialApp, templatesOf } from '../components/task-catalog';

/** How many upcoming steps are drawn as numbered markers. */
export const MARKER_HORIZON = 3;

/**
 * Create it while a component initialises (it asks its worker for a trajectory whenever the
 * template or the seed changes, and for a screen whenever the step changes) and dispose of it
 * with the component.
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
  trajectory = $state.raw<GalleryTrajectory | null>(null);
  /** The screen drawn: the step's once the worker has sent it, the previous one until then. */
  screen = $state.raw<GalleryScreen | null>(null);
  /** Why no trajectory can be shown (the worker failed). */
  error = $state<string | null>(null);
  readonly lastStep = $derived(this.trajectory ? this.trajectory.steps.length : 0);
  readonly elementList = $derived(this.screen?.elementList ?? '');
  /** The reference steps after the drawn screen (the markers); `here` when taken on it. */
  readonly upcoming: Upcoming[] = $derived.by(() => {
    const t = this.trajectory;
    const at = this.screen?.step;
    if (!t || at === undefined) return [];
    return t.steps
      .slice(at, at + MARKER_HORIZON)
      .map((step, j) => ({ step, here: t.screens[at + j] === t.screens[at] }));
  });

  #worker: Worker | null = null;
  #api: Remote<GalleryApi> | null = null;
  /** Bumped per request, so only the latest answer is shown. */
  #asked = 0;
  #screenAsked = 0;

  constructor() {
    $effect(() => {
      const id = this.template?.id;
      const seed = Number.isFinite(this.seed) ? this.seed : 0;
      if (id !== undefined) void this.#load(id, seed);
    });
    $effect(() => {
      const [t, step] = [this.trajectory, this.step];
      if (t && this.screen?.step !== step) void this.#show(t, step);
    });
  }

  async #load(templateId: string, seed: number): Promise<void> {
    const asked = ++this.#asked;
    try {
      const trajectory = await this.#connect().trajectory(templateId, seed);
      if (asked !== this.#asked) return;
      this.step = Math.min(this.step, trajectory.steps.length);
      this.screen = trajectory.first;
      this.trajectory = trajectory;
      this.error = null;
    } catch (e) {
      if (asked === this.#asked) this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async #show(t: GalleryTrajectory, step: number): Promise<void> {
    const asked = ++this.#screenAsked;
    try {
      const screen = await this.#connect().screen(t.templateId, t.seed, step);
      if (asked === this.#screenAsked && this.trajectory === t) this.screen = screen;
    } catch (e) {
      if (asked === this.#screenAsked) this.error = e instanceof Error ? e.message : String(e);
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
