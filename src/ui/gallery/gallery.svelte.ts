// State of the World gallery: which app, task template and seed are shown, how far along the
// oracle trajectory we are, and whether the set-of-marks overlay is on. The world itself runs
// here in the page (plain TypeScript, a few milliseconds per task), derived from those choices.
import {
  TEMPLATES,
  type AnyTemplate,
  applyAction,
  describeElements,
  instantiate,
  observe,
  render,
  solve,
  type Frame,
  type Observation,
  type RefStep,
  type WorldState,
} from '../../envs';
import type { Upcoming } from '../components/draw-frame';
import { initialApp, templatesOf } from '../components/task-catalog';

/** How many upcoming steps are drawn as numbered markers. */
export const MARKER_HORIZON = 3;

interface Trajectory {
  instruction: string;
  /** The world before each reference step (worlds[k] is where step k is taken). */
  worlds: WorldState[];
  steps: RefStep[];
  ok: boolean;
  reason?: string;
}

function trace(template: AnyTemplate, seed: number): Trajectory {
  const task = instantiate(template, seed);
  const solved = solve(template, task.params, task.world);
  const worlds: WorldState[] = [];
  let w = task.world;
  for (const s of solved.steps) {
    worlds.push(w);
    w = applyAction(w, s.action).world;
  }
  worlds.push(w); // the state after the last step
  return {
    instruction: task.instruction,
    worlds,
    steps: solved.steps,
    ok: solved.ok,
    reason: solved.ok ? undefined : solved.reason,
  };
}

export class GalleryState {
  app = $state(initialApp());
  templateId = $state(templatesOf(initialApp())[0]?.id ?? '');
  seed = $state(1);
  step = $state(0);
  showMarks = $state(true);

  readonly templates = $derived(templatesOf(this.app));
  readonly template = $derived(TEMPLATES.get(this.templateId));
  readonly trajectory = $derived(
    this.template ? trace(this.template, Number.isFinite(this.seed) ? this.seed : 0) : null,
  );
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
