// The oracle: from ANY reachable state, the remaining reference trajectory of a task.
//
// Mechanism: the template's plan is an ordered list of subgoals, each with `done(state)` and
// an act on a target node (click / long-press / type / answer). Repeatedly: take the first
// pending subgoal; breadth-first search over navigation-only actions (clicks, scrolls, back,
// home, open app — any action that changes no app content, only UI fields) to a screen where
// its target is fully visible and enabled (or focused, for typing); then act. Content never
// changes during navigation, so the search cannot destroy anything, and undoing an agent's
// detour (a wrong page, a pop-up, a scrolled list, a half-typed field) falls out of it.
import { getApp } from './registry';
import { describeNode } from './describe';
import { pendingSubgoal, type AnyTemplate, type Target } from './task';
import { applyAction, LAUNCHER, observe } from './world';
import {
  CLICKABLE_ROLES,
  type Action,
  type ActionType,
  type Box,
  type Observation,
  type ScreenNode,
  type WorldState,
} from './types';

export interface RefStep {
  type: ActionType;
  /** Executable action (clicks by point, since ids change from screen to screen). */
  action: Action;
  /** Grounding description of the target, e.g. "the Wi-Fi toggle". */
  target?: string;
  /** Typed text, scroll direction, app name or answer. */
  arg?: string;
  /** Target element's box on screen. */
  box?: Box;
  /** Step instruction, e.g. "click the Wi-Fi toggle". */
  instruction: string;
}

export interface SolveOptions {
  /** Most steps in the returned trajectory (default 40). */
  maxSteps?: number;
  /** Most states one navigation search may visit (default 4000). */
  maxNodes?: number;
  /** Deepest navigation (default 14). */
  maxDepth?: number;
}

/** Content of an app's state: everything except its UI fields, as a comparable string. */
function contentOf(app: string, state: unknown): string {
  const ui = getApp(app).ui;
  if (ui.length === 0 || state === null || typeof state !== 'object') return JSON.stringify(state);
  const rest: Record<string, unknown> = { ...(state as Record<string, unknown>) };
  for (const k of ui) delete rest[k];
  return JSON.stringify(rest);
}

/**
 * Whether `next` keeps the content of `prev` (both states of `app`) by reference: the same
 * non-UI keys in the same order, each holding the very same value. Navigation copies a state
 * and changes only UI fields, so this settles most moves without serialising the content;
 * when it says no, contentOf decides.
 */
function sharesContent(app: string, prev: unknown, next: unknown): boolean {
  const ui = getApp(app).ui;
  if (ui.length === 0 || !prev || !next || typeof prev !== 'object' || typeof next !== 'object')
    return false;
  const a = prev as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  const keys = Object.keys(a).filter((k) => !ui.includes(k));
  const others = Object.keys(b).filter((k) => !ui.includes(k));
  return keys.length === others.length && keys.every((k, i) => k === others[i] && a[k] === b[k]);
}

function navKey(w: WorldState): string {
  const ui: unknown[] = [];
  for (const name of w.installed) {
    const s = w.apps[name] as Record<string, unknown>;
    for (const k of getApp(name).ui) ui.push(s?.[k]);
  }
  return JSON.stringify([w.app, w.stack, w.focus, w.scroll, w.popup, ui]);
}

function matches(sn: ScreenNode, obs: Observation, t: Target): boolean {
  if (obs.app !== t.app) return false;
  if (t.key !== undefined && sn.node.key !== t.key) return false;
  if (t.where && !t.where(sn.node)) return false;
  return true;
}

function findTarget(obs: Observation, t: Target, focused: boolean): ScreenNode | undefined {
  for (const sn of obs.nodes) {
    if (sn.id === 0 || !matches(sn, obs, t)) continue;
    const el = obs.elements[sn.id - 1];
    if (!el.enabled || !el.visible) continue;
    if (focused && !el.focused) continue;
    return sn;
  }
  return undefined;
}

function centre(b: Box): [number, number] {
  return [b.x + Math.floor(b.w / 2), b.y + Math.floor(b.h / 2)];
}

function label(app: string): string {
  return getApp(app).label;
}

/** Reference step for an action taken in `obs` (before the action). */
export function describeStep(obs: Observation, action: Action): RefStep {
  switch (action.type) {
    case 'click':
    case 'longpress': {
      const [x, y] =
        'id' in action ? centre(obs.elements[action.id - 1].box) : [action.x, action.y];
      const sn = nodeAt(obs, x, y);
      let target = sn ? describeNode(obs, sn) : `the point (${x}, ${y})`;
      if (sn?.node.role === 'slider') {
        const pct = Math.round((100 * (x - sn.box.x)) / Math.max(1, sn.box.w - 1));
        target += ` at ${pct}%`;
      }
      const verb = action.type === 'click' ? 'click' : 'long-press';
      return { type: action.type, action, target, box: sn?.clip, instruction: `${verb} ${target}` };
    }
    case 'type': {
      const sn = obs.nodes.find((n) => n.id > 0 && obs.elements[n.id - 1].focused);
      const target = sn ? describeNode(obs, sn) : undefined;
      return {
        type: 'type',
        action,
        target,
        arg: action.text,
        box: sn?.clip,
        instruction: `type "${action.text}"${target ? ` into ${target}` : ''}`,
      };
    }
    case 'scroll':
      return {
        type: 'scroll',
        action,
        arg: action.direction,
        instruction: `scroll ${action.direction}`,
      };
    case 'open':
      return { type: 'open', action, arg: action.app, instruction: `open ${label(action.app)}` };
    case 'answer':
      return { type: 'answer', action, arg: action.text, instruction: `answer "${action.text}"` };
    case 'back':
      return { type: 'back', action, instruction: 'go back' };
    case 'home':
      return { type: 'home', action, instruction: 'go to the home screen' };
    case 'wait':
      return { type: 'wait', action, instruction: 'wait' };
    case 'done':
      return { type: 'done', action, instruction: 'done' };
  }
}

function nodeAt(obs: Observation, x: number, y: number): ScreenNode | undefined {
  for (let i = obs.nodes.length - 1; i >= 0; i--) {
    const sn = obs.nodes[i];
    const c = sn.clip;
    if (sn.id > 0 && x >= c.x && y >= c.y && x < c.x + c.w && y < c.y + c.h) return sn;
  }
  return undefined;
}

/** Navigation moves available on a screen, in the order the search prefers them. */
function navMoves(obs: Observation, apps: readonly string[]): Action[] {
  const moves: Action[] = [];
  for (const sn of obs.nodes) {
    if (sn.id === 0) continue;
    const el = obs.elements[sn.id - 1];
    if (!el.enabled || sn.node.edits) continue;
    const [x, y] = centre(sn.clip);
    if (sn.node.clickable ?? CLICKABLE_ROLES.has(sn.node.role)) moves.push({ type: 'click', x, y });
    if (sn.node.longPress) moves.push({ type: 'longpress', x, y });
  }
  if (!obs.modal) {
    if (obs.scroll.y < obs.scroll.maxY) moves.push({ type: 'scroll', direction: 'down' });
    if (obs.scroll.y > 0) moves.push({ type: 'scroll', direction: 'up' });
    if (obs.scroll.x < obs.scroll.maxX) moves.push({ type: 'scroll', direction: 'right' });
    if (obs.scroll.x > 0) moves.push({ type: 'scroll', direction: 'left' });
  }
  moves.push({ type: 'back' });
  if (obs.app !== LAUNCHER) moves.push({ type: 'home' });
  for (const a of apps) if (a !== obs.app && a !== LAUNCHER) moves.push({ type: 'open', app: a });
  return moves;
}

interface SearchNode {
  world: WorldState;
  parent: SearchNode | null;
  action: Action | null;
  depth: number;
}

/**
 * Shortest navigation-only path to a state where `goal(obs)` finds its node.
 * Returns the actions with the observation each was taken in, and the final state.
 */
function navigate(
  start: WorldState,
  goal: (obs: Observation) => boolean,
  apps: readonly string[],
  opts: Required<SolveOptions>,
): { path: { obs: Observation; action: Action }[]; world: WorldState; obs: Observation } | null {
  const allowed = new Set([...apps, LAUNCHER]);
  const seen = new Set([navKey(start)]);
  const root: SearchNode = { world: start, parent: null, action: null, depth: 0 };
  const queue: SearchNode[] = [root];
  const obsOf = new Map<SearchNode, Observation>();
  const found = (node: SearchNode, obs: Observation) => {
    const path: { obs: Observation; action: Action }[] = [];
    for (let n: SearchNode | null = node; n && n.parent && n.action; n = n.parent) {
      path.push({ obs: obsOf.get(n.parent)!, action: n.action });
    }
    return { path: path.reverse(), world: node.world, obs };
  };
  // The goal is tested as each node is queued, in queue order, so the first goal found is the
  // one a test on leaving the queue would find, without expanding the nodes queued before it.
  // Only the first maxNodes queued may be goals (the ones the search would expand).
  const rootObs = observe(start);
  obsOf.set(root, rootObs);
  if (goal(rootObs)) return found(root, rootObs);
  for (let head = 0; head < queue.length && head < opts.maxNodes; head++) {
    const node = queue[head];
    if (node.depth >= opts.maxDepth) continue;
    const obs = obsOf.get(node)!;
    const app = node.world.app;
    const prev = node.world.apps[app];
    let before: string | undefined;
    for (const action of navMoves(obs, apps)) {
      const { world, error } = applyAction(node.world, action, obs);
      if (error || world === node.world || !allowed.has(world.app)) continue;
      if (world.answer !== node.world.answer) continue;
      const next = world.apps[app];
      if (
        next !== prev &&
        !sharesContent(app, prev, next) &&
        contentOf(app, next) !== (before ??= contentOf(app, prev))
      )
        continue;
      const key = navKey(world);
      if (seen.has(key)) continue;
      seen.add(key);
      const child: SearchNode = { world, parent: node, action, depth: node.depth + 1 };
      queue.push(child);
      if (queue.length > opts.maxNodes) continue;
      const childObs = observe(world);
      obsOf.set(child, childObs);
      if (goal(childObs)) return found(child, childObs);
    }
  }
  return null;
}

export type SolveResult =
  { ok: true; steps: RefStep[] } | { ok: false; reason: string; steps: RefStep[] };

/** The remaining reference trajectory from `world`, ending with a 'done' step. */
export function solve(
  template: AnyTemplate,
  params: unknown,
  world: WorldState,
  options: SolveOptions = {},
): SolveResult {
  const opts: Required<SolveOptions> = { maxSteps: 40, maxNodes: 4000, maxDepth: 14, ...options };
  const plan = template.plan(params);
  const steps: RefStep[] = [];
  let w = world;
  const take = (obs: Observation, action: Action): string | undefined => {
    steps.push(describeStep(obs, action));
    const out = applyAction(w, action, obs);
    if (out.error) return out.error;
    w = out.world;
    return undefined;
  };
  while (steps.length <= opts.maxSteps) {
    if (template.check(w, params)) {
      steps.push(describeStep(observe(w), { type: 'done' }));
      return { ok: true, steps };
    }
    if (template.failed?.(w, params))
      return { ok: false, reason: 'task failed irrecoverably', steps };
    const sg = pendingSubgoal(plan, w);
    if (!sg) return { ok: false, reason: 'every subgoal holds but the check fails', steps };
    const act = typeof sg.act === 'function' ? sg.act(w) : sg.act;
    if ('answer' in act) {
      const err = take(observe(w), { type: 'answer', text: act.answer });
      if (err) return { ok: false, reason: err, steps };
      continue;
    }
    const target = 'click' in act ? act.click : 'longPress' in act ? act.longPress : act.type;
    const typing = 'type' in act;
    const found = navigate(w, (obs) => !!findTarget(obs, target, typing), template.apps, opts);
    if (!found) return { ok: false, reason: `cannot reach the target of '${sg.name}'`, steps };
    for (const { obs, action } of found.path) {
      const err = take(obs, action);
      if (err) return { ok: false, reason: `navigation: ${err}`, steps };
    }
    const obs = found.obs;
    const sn = findTarget(obs, target, typing)!;
    let action: Action;
    if ('type' in act) action = { type: 'type', text: act.text };
    else {
      const [cx, cy] = centre(sn.clip);
      const at = 'click' in act ? act.at : undefined;
      const x =
        at === undefined
          ? cx
          : sn.clip.x + Math.round(Math.min(1, Math.max(0, at)) * (sn.clip.w - 1));
      action = 'click' in act ? { type: 'click', x, y: cy } : { type: 'longpress', x, y: cy };
    }
    const before = w;
    const err = take(obs, action);
    if (err) return { ok: false, reason: `'${sg.name}': ${err}`, steps };
    if (w === before) return { ok: false, reason: `'${sg.name}' made no progress`, steps };
  }
  return { ok: false, reason: 'too many steps', steps };
}
