// What the World gallery's page draws, prepared in its worker: the trajectory's steps with the
// first screen ready to draw (observed, rendered, described), and any other screen on demand.
// The page never receives the worlds themselves: copying all of them and observing and
// rendering on the page's thread was the longest task of the view's load.
import {
  describeElements,
  observe,
  render,
  type Element,
  type Frame,
  type RefStep,
} from '../../envs';
import { referenceTrajectory, type Trajectory } from './trajectory';

/** One screen of a trajectory as the page draws it. */
export interface GalleryScreen {
  /** The trajectory step this screen comes before (the last one is the end state). */
  step: number;
  app: string;
  screen: string;
  /** The set-of-marks boxes and numbers. */
  elements: Element[];
  frame: Frame;
  /** The element list as the agent reads it. */
  elementList: string;
}

export interface GalleryTrajectory {
  templateId: string;
  seed: number;
  instruction: string;
  steps: RefStep[];
  /** `app/screen` of the world before each step and of the end state (for the step markers). */
  screens: string[];
  ok: boolean;
  reason?: string;
  /** Screen 0, so that the first paint needs one answer from the worker. */
  first: GalleryScreen;
}

/** The last trajectory solved, kept for the page's requests for its other screens. */
let last: { key: string; trajectory: Trajectory } | null = null;

function solved(templateId: string, seed: number): Trajectory {
  const key = `${templateId}#${seed}`;
  if (last?.key !== key) last = { key, trajectory: referenceTrajectory(templateId, seed) };
  return last.trajectory;
}

function screenAt(t: Trajectory, step: number, obs = observe(t.worlds[step])): GalleryScreen {
  return {
    step,
    app: obs.app,
    screen: obs.screen,
    elements: obs.elements,
    frame: render(obs),
    elementList: describeElements(obs),
  };
}

/** Solves template `templateId` with `seed` and returns its steps and its first screen. */
export function galleryTrajectory(templateId: string, seed: number): GalleryTrajectory {
  const t = solved(templateId, seed);
  const observed = t.worlds.map(observe);
  const screens = observed.map((obs) => `${obs.app}/${obs.screen}`);
  return {
    templateId,
    seed,
    instruction: t.instruction,
    steps: t.steps,
    screens,
    ok: t.ok,
    reason: t.reason,
    first: screenAt(t, 0, observed[0]),
  };
}

/** Screen `step` of the trajectory of `templateId` with `seed`. */
export function galleryScreen(templateId: string, seed: number, step: number): GalleryScreen {
  const t = solved(templateId, seed);
  if (!Number.isInteger(step) || step < 0 || step >= t.worlds.length)
    throw new Error(`no screen ${step}: the trajectory has screens 0 to ${t.worlds.length - 1}`);
  return screenAt(t, step);
}
