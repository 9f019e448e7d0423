// Task templates and their goals. A template generates parameters and an instruction from a
// seed, checks success from the world state only, and declares its plan as an ordered list
// of subgoals that the oracle (oracle.ts) turns into actions from any reachable state.
import type { Rng } from '../rng';
import type { Platform, UiNode, WorldState } from './types';

export type Split = 'train' | 'held-out-params' | 'held-out-templates' | 'held-out-apps';

/** The task's main difficulty; the first four need anticipation. */
export type Category =
  | 'target-off-screen'
  | 'order-matters'
  | 'early-choice'
  | 'irreversible'
  | 'cross-app'
  | 'basic'
  | 'form'
  | 'info';

export interface Tags {
  /** Benchmark suite (the suites engineer may reassign). */
  suite: string;
  split: Split;
  category: Category;
}

export interface Generated<P> {
  params: P;
  instruction: string;
  /** Per-app init options, by app name (apps not named get their defaults). */
  apps?: Record<string, unknown>;
  /** App in the foreground at the start (default: the launcher). */
  start?: string;
}

/** Which node a subgoal acts on: an app and a node key (or a predicate on nodes). */
export interface Target {
  app: string;
  key?: string;
  where?: (node: UiNode) => boolean;
}

export type Act =
  /** Click the target; `at` is where along its width (sliders), 0..1, default the centre. */
  | { click: Target; at?: number }
  | { longPress: Target }
  /** Focus the target field (if needed) and type the text. */
  | { type: Target; text: string }
  | { answer: string };

export interface Subgoal {
  /** For messages and debugging, e.g. 'wifi off'. */
  name: string;
  /** Holds in this state. Must not hold vacuously (e.g. "every line ok" on an empty cart). */
  done: (w: WorldState) => boolean;
  /**
   * What to do, once the target is on screen, to make progress towards `done`; a function
   * when the target depends on the state (e.g. "remove the first wrong line in the cart").
   */
  act: Act | ((w: WorldState) => Act);
  /**
   * A stepping stone (typed query, open thread): also counts as done once any later subgoal
   * is done, so the oracle does not redo it after it has served its purpose.
   */
  ephemeral?: boolean;
}

export interface TaskTemplate<P> {
  /** 'app.verb-object', e.g. 'settings.wifi-off'. */
  id: string;
  /** Apps the task uses; the oracle only opens these. */
  apps: string[];
  platform?: Platform;
  tags: Tags;
  generate(rng: Rng): Generated<P>;
  /** Success, from the world state only. */
  check(w: WorldState, params: P): boolean;
  /** Irrecoverably failed (e.g. the wrong file deleted): the episode ends, no oracle path. */
  failed?(w: WorldState, params: P): boolean;
  /** Ordered subgoals; the oracle pursues the first one not done. */
  plan(params: P): Subgoal[];
  /** Step budget of an episode (default 20). */
  maxSteps?: number;
}

// Templates of different parameter types live in one registry.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTemplate = TaskTemplate<any>;

export function defineTask<P>(t: TaskTemplate<P>): TaskTemplate<P> {
  return t;
}

// --- Subgoal builders: most plans are a few of these. ---------------------------------------

export function click(
  name: string,
  app: string,
  key: string,
  done: (w: WorldState) => boolean,
  at?: number,
): Subgoal {
  return {
    name,
    done,
    act: at === undefined ? { click: { app, key } } : { click: { app, key }, at },
  };
}

/** A click that only serves to get somewhere (open a thread, submit a search). */
export function visit(
  name: string,
  app: string,
  key: string,
  done: (w: WorldState) => boolean,
): Subgoal {
  return { name, done, act: { click: { app, key } }, ephemeral: true };
}

export function typeInto(
  name: string,
  app: string,
  key: string,
  text: string,
  done: (w: WorldState) => boolean,
  ephemeral = true,
): Subgoal {
  return { name, done, act: { type: { app, key }, text }, ephemeral };
}

export function longPress(
  name: string,
  app: string,
  key: string,
  done: (w: WorldState) => boolean,
): Subgoal {
  return { name, done, act: { longPress: { app, key } }, ephemeral: true };
}

export function answer(text: string): Subgoal {
  return { name: `answer ${text}`, done: (w) => sameAnswer(w.answer, text), act: { answer: text } };
}

/** Answers compare case- and whitespace-insensitively. */
export function sameAnswer(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
  return norm(given) === norm(expected);
}

/** Subgoal i counts as done when it holds, or when it is ephemeral and a later one holds. */
export function pendingSubgoal(plan: Subgoal[], w: WorldState): Subgoal | undefined {
  const holds = plan.map((s) => s.done(w));
  for (let i = 0; i < plan.length; i++) {
    if (holds[i]) continue;
    if (plan[i].ephemeral && holds.slice(i + 1).some(Boolean)) continue;
    return plan[i];
  }
  return undefined;
}
