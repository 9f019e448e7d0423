// Core types of the simulated GUI world: boxes, UI nodes, elements, actions, world state.
// Everything here is plain data (structuredClone-able, JSON-serialisable) so a world state can
// be copied for GRPO rollouts, hashed, logged and sent between workers.

export type Platform = 'mobile' | 'desktop' | 'web';

/** Screen size in pixels per platform. */
export const SCREEN: Record<Platform, { width: number; height: number }> = {
  mobile: { width: 160, height: 256 },
  desktop: { width: 256, height: 160 },
  web: { width: 256, height: 160 },
};

/** Height of the status/title bar at the top of every screen. */
export const STATUS_BAR_H = 12;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Role =
  | 'button'
  | 'toggle'
  | 'text'
  | 'textfield'
  | 'listitem'
  | 'menu'
  | 'menuitem'
  | 'tab'
  | 'dialog'
  | 'slider'
  | 'icon'
  | 'checkbox'
  | 'image'
  | 'link'
  | 'window'
  /** Decoration only (backgrounds, bars): drawn, never an element. */
  | 'panel';

/** Named colours that keep their RGB under every theme (so colour is a stable pixel fact). */
export type ColorName =
  | 'red'
  | 'orange'
  | 'yellow'
  | 'green'
  | 'teal'
  | 'blue'
  | 'purple'
  | 'pink'
  | 'brown'
  | 'black'
  | 'white'
  | 'grey';

export type IconName =
  | 'wifi'
  | 'bluetooth'
  | 'gear'
  | 'trash'
  | 'star'
  | 'heart'
  | 'cart'
  | 'mail'
  | 'search'
  | 'back'
  | 'home'
  | 'plus'
  | 'minus'
  | 'pencil'
  | 'folder'
  | 'file'
  | 'bell'
  | 'lock'
  | 'close'
  | 'check'
  | 'more'
  | 'menu'
  | 'phone'
  | 'person'
  | 'calendar'
  | 'note'
  | 'globe'
  | 'image'
  | 'music'
  | 'battery'
  | 'sun'
  | 'moon'
  | 'volume'
  | 'clock'
  | 'bag'
  | 'chevron'
  | 'download'
  | 'share'
  | 'play'
  | 'camera'
  | 'airplane'
  | 'reply';

/** One UI node as an app's view yields it, in the app's content coordinates. */
export interface UiNode {
  /** Stable handle for the app's event handler, unique within one screen (e.g. 'toggle:wifi'). */
  key: string;
  role: Role;
  /** Accessible text (what the element list shows): a label, a name, a message subject. */
  text?: string;
  box: Box;
  checked?: boolean;
  /** Field contents or slider position (0..100). */
  value?: string | number;
  /** Default true. */
  enabled?: boolean;
  /** Default by role (see CLICKABLE_ROLES). */
  clickable?: boolean;
  /** Responds to a long press (context menus). */
  longPress?: boolean;
  /**
   * Clicking sets a form value (a date in a picker, an hour chip) rather than going somewhere:
   * the oracle's navigation search skips it, which keeps pickers from multiplying its states.
   */
  edits?: boolean;
  /** Label of the row/card the node sits in, used to disambiguate descriptions. */
  context?: string;
  /** Button style. */
  tone?: 'primary' | 'danger' | 'plain';
  /** Text scale (1 = 5×7 font, 2 = titles). */
  scale?: 1 | 2;
  /** Muted (secondary) text. */
  muted?: boolean;
  // Pixel-only facts: drawn, but never part of the element text.
  icon?: IconName;
  color?: ColorName;
  imageText?: string;
}

export const CLICKABLE_ROLES: ReadonlySet<Role> = new Set<Role>([
  'button',
  'toggle',
  'textfield',
  'listitem',
  'menuitem',
  'tab',
  'slider',
  'icon',
  'checkbox',
  'link',
]);

/** A screen as an app describes it: a fixed bar, a scrolling body, a fixed bottom, a dialog. */
export interface AppView {
  /** Key of the page, e.g. 'network'; scroll offsets and focus are kept per screen. */
  screen: string;
  /** Shown in the title bar. */
  title: string;
  /** Fixed under the title bar (content coordinates with y from 0 to barHeight). */
  bar?: UiNode[];
  barHeight?: number;
  /** Scrolls vertically (and horizontally when wider than the screen). */
  body: UiNode[];
  /** Fixed at the bottom (y from 0 to bottomHeight). */
  bottom?: UiNode[];
  bottomHeight?: number;
  /** Modal layer, in coordinates of the content area (below the title bar); blocks the rest. */
  dialog?: UiNode[];
}

/** Where a node ended up on screen. */
export type Layer = 'status' | 'bar' | 'body' | 'bottom' | 'dialog' | 'popup';

export interface ScreenNode {
  node: UiNode;
  layer: Layer;
  /** Screen box before clipping. */
  box: Box;
  /** Visible part of the box (may be empty when w or h is 0). */
  clip: Box;
  /** Beneath a modal layer: drawn dimmed, not an element. */
  inert: boolean;
  /** Set-of-marks id when the node is an element, else 0. */
  id: number;
}

/** An element as the agent sees it (accessibility tree / set-of-marks). */
export interface Element {
  /** Set-of-marks number, 1-based, in reading order. */
  id: number;
  role: Role;
  text: string;
  /** Visible box in screen pixels. */
  box: Box;
  checked?: boolean;
  value?: string | number;
  focused: boolean;
  enabled: boolean;
  /** Fully on screen (not clipped by scrolling). */
  visible: boolean;
  /** Internal handle of the app (not shown to agents). */
  key: string;
}

export interface Observation {
  platform: Platform;
  width: number;
  height: number;
  app: string;
  screen: string;
  title: string;
  elements: Element[];
  /** Everything drawn, in paint order (for the renderer). */
  nodes: ScreenNode[];
  /** Status icons (pixel-only facts, e.g. Wi-Fi on). */
  status: IconName[];
  theme: string;
  /** Scroll state of the body: offsets and maxima. */
  scroll: { x: number; y: number; maxX: number; maxY: number };
  /** The body viewport on screen. */
  viewport: Box;
  modal: boolean;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

export type Action =
  | { type: 'click'; id: number }
  | { type: 'click'; x: number; y: number }
  | { type: 'longpress'; id: number }
  | { type: 'longpress'; x: number; y: number }
  | { type: 'type'; text: string }
  | { type: 'scroll'; direction: Direction }
  | { type: 'open'; app: string }
  | { type: 'back' }
  | { type: 'home' }
  | { type: 'wait' }
  | { type: 'answer'; text: string }
  | { type: 'done' };

export type ActionType = Action['type'];

/** The action types aimed at one element (by id or point): the grounder finds their target. */
export const ELEMENT_ACTIONS: ReadonlySet<string> = new Set<ActionType>(['click', 'longpress']);

export interface Popup {
  title: string;
  text: string;
  button: string;
}

/** Perturbations chosen at reset (seeded). */
export interface Perturbation {
  theme: string;
  /** Max layout jitter in pixels (0 = none). */
  jitter: number;
  jitterSeed: number;
  /** Insert a sponsored banner at the top of every scrolling body. */
  distractor: string | null;
}

export interface WorldState {
  platform: Platform;
  width: number;
  height: number;
  /** Apps on the device, launcher first. */
  installed: string[];
  /** Foreground app. */
  app: string;
  /** Apps to return to when back is pressed at an app's root. */
  stack: string[];
  /** Per-app state, by app name. */
  apps: Record<string, unknown>;
  /** Key of the focused text field on the foreground screen. */
  focus: string | null;
  /** Scroll offsets per `${app}/${screen}`, only non-zero ones. */
  scroll: Record<string, [number, number]>;
  /** A system pop-up over everything (perturbation). */
  popup: Popup | null;
  /** The agent's answer, for information tasks. */
  answer: string | null;
  perturb: Perturbation;
}

export interface StepOutcome {
  world: WorldState;
  error?: string;
}
