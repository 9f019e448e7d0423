// The device: composes the foreground app's view into a screen (title bar, fixed bar,
// scrolling body, bottom, dialogs, pop-up), numbers the elements, and applies agent actions.
// `applyAction` is pure: it returns a new world and never throws because of an agent's action.
import { Rng } from '../rng';
import { outcome, type AnyApp, type AppInfo, type ViewCtx } from './app';
import { getApp, APPS } from './registry';
import {
  CLICKABLE_ROLES,
  SCREEN,
  STATUS_BAR_H,
  type Action,
  type AppView,
  type Box,
  type Element,
  type IconName,
  type Layer,
  type Observation,
  type Perturbation,
  type Platform,
  type ScreenNode,
  type StepOutcome,
  type UiNode,
  type WorldState,
} from './types';

export const LAUNCHER = 'launcher';
const DISTRACTOR_H = 16;

export interface WorldOptions {
  platform?: Platform;
  /** Per-app init options, by app name. */
  apps?: Record<string, unknown>;
  /** App in the foreground at the start (default: the launcher). */
  start?: string;
  perturb?: Partial<Perturbation>;
}

export const NO_PERTURBATION: Perturbation = {
  theme: 'light',
  jitter: 0,
  jitterSeed: 0,
  distractor: null,
};

/** A fresh device with every app for the platform installed and initialised from `rng`. */
export function createWorld(rng: Rng, opts: WorldOptions = {}): WorldState {
  const platform = opts.platform ?? 'mobile';
  const installed = [...APPS.values()]
    .filter((a) => a.platforms.includes(platform))
    .map((a) => a.name)
    .sort((a, b) => (a === LAUNCHER ? -1 : b === LAUNCHER ? 1 : a.localeCompare(b)));
  const apps: Record<string, unknown> = {};
  // Each app draws from its own stream keyed by its name, so installing another app does not
  // change any app's content.
  const base = rng.nextU32();
  for (const name of installed) {
    apps[name] = getApp(name).init(
      new Rng((base ^ hashName(name)) >>> 0),
      opts.apps?.[name],
      platform,
    );
  }
  const start = opts.start ?? LAUNCHER;
  if (!installed.includes(start))
    throw new Error(`start app '${start}' is not installed on ${platform}`);
  return {
    platform,
    ...SCREEN[platform],
    installed,
    app: start,
    stack: start === LAUNCHER ? [] : [LAUNCHER],
    apps,
    focus: null,
    scroll: {},
    popup: null,
    answer: null,
    perturb: { ...NO_PERTURBATION, ...opts.perturb },
  };
}

function hashName(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h >>> 0;
}

export function viewCtx(w: WorldState): ViewCtx {
  const installed: AppInfo[] = w.installed.map((n) => {
    const a = getApp(n);
    return { name: a.name, label: a.label, icon: a.icon, color: a.color };
  });
  return { platform: w.platform, width: w.width, height: w.height - STATUS_BAR_H, installed };
}

export function appView(w: WorldState): AppView {
  return getApp(w.app).view(w.apps[w.app], viewCtx(w));
}

/** Typed access to an app's state inside a world. */
export function appState<S>(w: WorldState, app: string): S {
  return w.apps[app] as S;
}

// ---------------------------------------------------------------------------------------------
// Observation: layout of the current screen.

function intersect(a: Box, b: Box): Box {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.w, b.x + b.w);
  const y2 = Math.min(a.y + a.h, b.y + b.h);
  return { x, y, w: Math.max(0, x2 - x), h: Math.max(0, y2 - y) };
}

function contentExtent(nodes: UiNode[]): { w: number; h: number } {
  let w = 0;
  let h = 0;
  for (const n of nodes) {
    w = Math.max(w, n.box.x + n.box.w);
    h = Math.max(h, n.box.y + n.box.h);
  }
  return { w, h: h + 4 };
}

/** Small seeded offset per node for the layout-jitter perturbation. */
function jitterOf(p: Perturbation, screen: string, key: string): [number, number] {
  if (p.jitter <= 0) return [0, 0];
  let h = p.jitterSeed ^ 0x9e3779b9;
  const s = screen + '|' + key;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h >>>= 0;
  const span = 2 * p.jitter + 1;
  return [(h % span) - p.jitter, ((h >>> 16) % span) - p.jitter];
}

export function scrollKey(w: WorldState, screen: string): string {
  return `${w.app}/${screen}`;
}

export function statusIcons(w: WorldState): IconName[] {
  const icons: IconName[] = [];
  for (const name of w.installed) {
    const app = getApp(name);
    if (app.status) icons.push(...app.status(w.apps[name]));
  }
  return icons;
}

export function observe(w: WorldState): Observation {
  const view = appView(w);
  return compose(w, view);
}

function compose(w: WorldState, view: AppView): Observation {
  const W = w.width;
  const H = w.height;
  const nodes: ScreenNode[] = [];
  const modal = !!view.dialog?.length || !!w.popup;
  const add = (node: UiNode, layer: Layer, dx: number, dy: number, clipTo: Box, inert: boolean) => {
    const b = { x: node.box.x + dx, y: node.box.y + dy, w: node.box.w, h: node.box.h };
    nodes.push({ node, layer, box: b, clip: intersect(b, clipTo), inert, id: 0 });
  };

  // Title bar.
  const screenBox = { x: 0, y: 0, w: W, h: H };
  add(
    { key: 'status:title', role: 'text', text: view.title, box: { x: 3, y: 3, w: W - 40, h: 7 } },
    'status',
    0,
    0,
    screenBox,
    true,
  );

  const top = STATUS_BAR_H;
  const barH = view.bar?.length ? (view.barHeight ?? 16) : 0;
  const bottomH = view.bottom?.length ? (view.bottomHeight ?? 18) : 0;
  const viewport: Box = { x: 0, y: top + barH, w: W, h: H - top - barH - bottomH };

  // Body, with the perturbations that move content: a distractor banner and jitter.
  let body = view.body;
  if (w.perturb.distractor) {
    const shifted = body.map((n) => ({ ...n, box: { ...n.box, y: n.box.y + DISTRACTOR_H } }));
    const banner: UiNode = {
      key: 'distractor:banner',
      role: 'button',
      tone: 'plain',
      text: w.perturb.distractor,
      box: { x: 2, y: 2, w: W - 4, h: DISTRACTOR_H - 4 },
      color: 'yellow',
    };
    body = [banner, ...shifted];
  }
  if (w.perturb.jitter > 0) {
    body = body.map((n) => {
      const [jx, jy] = jitterOf(w.perturb, view.screen, n.key);
      const x = Math.min(Math.max(0, n.box.x + jx), Math.max(0, W - n.box.w));
      return { ...n, box: { ...n.box, x, y: Math.max(0, n.box.y + jy) } };
    });
  }
  const extent = contentExtent(body);
  const maxX = Math.max(0, extent.w - W);
  const maxY = Math.max(0, extent.h - viewport.h);
  const [sx0, sy0] = w.scroll[scrollKey(w, view.screen)] ?? [0, 0];
  const sx = Math.min(sx0, maxX);
  const sy = Math.min(sy0, maxY);

  for (const n of body) add(n, 'body', -sx, viewport.y - sy, viewport, modal);
  const barBox = { x: 0, y: top, w: W, h: barH };
  for (const n of view.bar ?? []) add(n, 'bar', 0, top, barBox, modal);
  const bottomBox = { x: 0, y: H - bottomH, w: W, h: bottomH };
  for (const n of view.bottom ?? []) add(n, 'bottom', 0, H - bottomH, bottomBox, modal);
  const contentBox = { x: 0, y: top, w: W, h: H - top };
  for (const n of view.dialog ?? []) add(n, 'dialog', 0, top, contentBox, !!w.popup);
  if (w.popup) for (const n of popupNodes(w)) add(n, 'popup', 0, top, contentBox, false);

  // Elements: non-inert, non-decoration nodes with something on screen, in paint order.
  const elements: Element[] = [];
  for (const sn of nodes) {
    const n = sn.node;
    if (sn.inert || n.role === 'panel' || sn.clip.w <= 0 || sn.clip.h <= 0) continue;
    sn.id = elements.length + 1;
    elements.push({
      id: sn.id,
      role: n.role,
      text: n.text ?? '',
      box: sn.clip,
      ...(n.checked !== undefined ? { checked: n.checked } : {}),
      ...(n.value !== undefined ? { value: n.value } : {}),
      focused: n.role === 'textfield' && w.focus === n.key,
      enabled: n.enabled !== false,
      visible: sn.clip.w === sn.box.w && sn.clip.h === sn.box.h,
      key: n.key,
    });
  }
  return {
    platform: w.platform,
    width: W,
    height: H,
    app: w.app,
    screen: view.screen,
    title: view.title,
    elements,
    nodes,
    status: statusIcons(w),
    theme: w.perturb.theme,
    scroll: { x: sx, y: sy, maxX, maxY },
    viewport,
    modal,
  };
}

function popupNodes(w: WorldState): UiNode[] {
  const p = w.popup!;
  const width = Math.min(w.width - 16, 140);
  const x = Math.floor((w.width - width) / 2);
  const y = 30;
  return [
    { key: 'popup:frame', role: 'dialog', text: p.title, box: { x, y, w: width, h: 50 } },
    {
      key: 'popup:text',
      role: 'text',
      text: p.text.slice(0, Math.floor(width / 6) - 1),
      box: { x: x + 5, y: y + 17, w: width - 10, h: 9 },
    },
    {
      key: 'popup:ok',
      role: 'button',
      tone: 'primary',
      text: p.button,
      box: { x: x + 5, y: y + 32, w: p.button.length * 6 + 10, h: 12 },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Actions.

function isClickable(n: UiNode): boolean {
  return n.clickable ?? CLICKABLE_ROLES.has(n.role);
}

/** Topmost interactive node under a point, or the reason there is none. */
function hitTest(obs: Observation, x: number, y: number): ScreenNode | string {
  if (!(x >= 0 && y >= 0 && x < obs.width && y < obs.height)) return 'point is off the screen';
  let under: ScreenNode | undefined;
  for (let i = obs.nodes.length - 1; i >= 0; i--) {
    const sn = obs.nodes[i];
    const c = sn.clip;
    if (x >= c.x && y >= c.y && x < c.x + c.w && y < c.y + c.h) {
      if (sn.inert) return obs.modal ? 'blocked by a dialog' : 'nothing to click there';
      if (sn.node.role === 'dialog' || sn.node.role === 'menu' || isClickable(sn.node)) {
        under = sn;
        break;
      }
    }
  }
  if (!under) return 'nothing to click there';
  if (!isClickable(under.node)) return 'nothing to click there';
  if (under.node.enabled === false) return `'${under.node.text ?? under.node.key}' is disabled`;
  return under;
}

function pointOf(
  obs: Observation,
  a: { id: number } | { x: number; y: number },
): [number, number] | string {
  if ('id' in a) {
    const el = obs.elements.find((e) => e.id === a.id);
    if (!el) return `no element with id ${a.id}`;
    return [el.box.x + Math.floor(el.box.w / 2), el.box.y + Math.floor(el.box.h / 2)];
  }
  if (!Number.isFinite(a.x) || !Number.isFinite(a.y)) return 'click point is not a number';
  return [Math.round(a.x), Math.round(a.y)];
}

function withApp(w: WorldState, app: string, state: unknown): WorldState {
  return { ...w, apps: { ...w.apps, [app]: state } };
}

function switchTo(w: WorldState, app: string): WorldState {
  if (app === w.app) return w;
  const stack = app === LAUNCHER ? [] : [...w.stack.filter((a) => a !== app && a !== w.app), w.app];
  return { ...w, app, stack, focus: null, popup: null };
}

/** Keep focus only while the focused field is still on the foreground screen. */
function settle(before: WorldState, after: WorldState): WorldState {
  if (after.focus === null) return after;
  if (before.app !== after.app) return { ...after, focus: null };
  const view = appView(after);
  const still = [
    ...(view.dialog ?? []),
    ...view.body,
    ...(view.bar ?? []),
    ...(view.bottom ?? []),
  ].some((n) => n.key === after.focus && n.role === 'textfield' && n.enabled !== false);
  return still ? after : { ...after, focus: null };
}

function runEvent(w: WorldState, app: AnyApp, ev: Parameters<AnyApp['on']>[1]): StepOutcome {
  const out = outcome(app.on(w.apps[w.app], ev, viewCtx(w)));
  if (out.error) return { world: w, error: out.error };
  let next = out.state === w.apps[w.app] ? w : withApp(w, w.app, out.state);
  if (out.open) {
    if (!next.installed.includes(out.open))
      return { world: w, error: `app '${out.open}' is not installed` };
    next = switchTo(next, out.open);
  }
  return { world: settle(w, next) };
}

const SCROLL_FRACTION = 0.6;

/**
 * Apply one agent action. Impossible or invalid actions are no-ops with an error; 'done' and
 * 'wait' leave the world as it is (the episode decides what 'done' means).
 */
export function applyAction(
  w: WorldState,
  action: Action,
  obs: Observation = observe(w),
): StepOutcome {
  try {
    return applyUnsafe(w, action, obs);
  } catch (e) {
    // An app bug must not crash a training run; report it as a failed action.
    return { world: w, error: `internal error: ${(e as Error).message}` };
  }
}

function applyUnsafe(w: WorldState, action: Action, obs: Observation): StepOutcome {
  const app = getApp(w.app);
  switch (action?.type) {
    case 'click':
    case 'longpress': {
      const p = pointOf(obs, action);
      if (typeof p === 'string') return { world: w, error: p };
      const hit = hitTest(obs, p[0], p[1]);
      if (typeof hit === 'string') return { world: w, error: hit };
      const n = hit.node;
      if (hit.layer === 'popup') {
        if (n.key === 'popup:ok') return { world: { ...w, popup: null } };
        return { world: w, error: 'nothing to click there' };
      }
      if (n.key.startsWith('distractor:')) return { world: w };
      if (action.type === 'longpress') {
        if (!n.longPress) return { world: w, error: 'nothing happens on a long press there' };
        return runEvent(w, app, { kind: 'longpress', key: n.key });
      }
      if (n.role === 'textfield') return { world: w.focus === n.key ? w : { ...w, focus: n.key } };
      const frac =
        hit.box.w > 1 ? Math.min(1, Math.max(0, (p[0] - hit.box.x) / (hit.box.w - 1))) : 0.5;
      return runEvent(w, app, { kind: 'click', key: n.key, frac });
    }
    case 'type': {
      if (typeof action.text !== 'string') return { world: w, error: 'type needs text' };
      if (obs.modal && w.popup) return { world: w, error: 'blocked by a dialog' };
      const field = obs.elements.find((e) => e.focused);
      if (!field) return { world: w, error: 'no text field is focused' };
      return runEvent(w, app, { kind: 'type', key: field.key, text: action.text });
    }
    case 'scroll': {
      if (obs.modal) return { world: w, error: 'blocked by a dialog' };
      const { x, y, maxX, maxY } = obs.scroll;
      const step = Math.max(8, Math.round(obs.viewport.h * SCROLL_FRACTION));
      const stepX = Math.max(8, Math.round(obs.viewport.w * SCROLL_FRACTION));
      let nx = x;
      let ny = y;
      if (action.direction === 'down') ny = Math.min(maxY, y + step);
      else if (action.direction === 'up') ny = Math.max(0, y - step);
      else if (action.direction === 'right') nx = Math.min(maxX, x + stepX);
      else if (action.direction === 'left') nx = Math.max(0, x - stepX);
      else return { world: w, error: `unknown scroll direction '${String(action.direction)}'` };
      if (nx === x && ny === y) return { world: w, error: `cannot scroll ${action.direction}` };
      const scroll = { ...w.scroll };
      const key = scrollKey(w, obs.screen);
      if (nx === 0 && ny === 0) delete scroll[key];
      else scroll[key] = [nx, ny];
      return { world: { ...w, scroll } };
    }
    case 'open': {
      if (typeof action.app !== 'string' || !w.installed.includes(action.app))
        return { world: w, error: `no app named '${String(action.app)}'` };
      if (action.app === w.app && !w.popup)
        return { world: w, error: `${action.app} is already open` };
      return { world: { ...switchTo(w, action.app), popup: null } };
    }
    case 'back': {
      if (w.popup) return { world: { ...w, popup: null } };
      const inner = app.back?.(w.apps[w.app]);
      if (inner !== undefined) return { world: settle(w, withApp(w, w.app, inner)) };
      if (w.app === LAUNCHER) return { world: w, error: 'nothing to go back to' };
      const stack = w.stack.slice();
      const prev = stack.pop() ?? LAUNCHER;
      return { world: { ...w, app: prev, stack, focus: null } };
    }
    case 'home':
      return {
        world: w.app === LAUNCHER && !w.popup ? w : { ...switchTo(w, LAUNCHER), popup: null },
      };
    case 'answer':
      if (typeof action.text !== 'string') return { world: w, error: 'answer needs text' };
      return { world: { ...w, answer: action.text } };
    case 'wait':
    case 'done':
      return { world: w };
    default:
      return {
        world: w,
        error: `unknown action '${String((action as { type?: unknown })?.type)}'`,
      };
  }
}
