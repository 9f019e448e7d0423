// The contract of one app. An app is a pure state machine: `init` builds its state, `view`
// yields the UI nodes of the current screen, `on` handles an event on one of its nodes and
// returns the next state (never mutating the old one), `back` handles the back button.
import type { Rng } from '../rng';
import type { AppView, ColorName, IconName, Platform } from './types';

export interface AppInfo {
  name: string;
  label: string;
  icon: IconName;
  color: ColorName;
}

export interface ViewCtx {
  platform: Platform;
  /** Content area (screen minus the title bar). */
  width: number;
  height: number;
  /** Installed apps (for the launcher). */
  installed: AppInfo[];
}

export type AppEvent =
  /** `frac` is where the click fell inside the node, 0..1 from its left edge (sliders). */
  | { kind: 'click'; key: string; frac: number }
  | { kind: 'longpress'; key: string }
  /** Typing replaces the contents of the focused field. */
  | { kind: 'type'; key: string; text: string };

/** What an event did besides changing the state; build it with `fail` or `openApp`. */
export class AppOutcome<S> {
  constructor(
    readonly state: S,
    /** The event was impossible: the world turns it into a no-op with this error. */
    readonly error?: string,
    /** Bring another app to the foreground (launcher icons, "open in" links). */
    readonly open?: string,
  ) {}
}

/** The event cannot happen (e.g. "Send" with no recipient): a no-op with an error. */
export function fail<S>(state: S, error: string): AppOutcome<S> {
  return new AppOutcome(state, error);
}

/** Switch to another app after the event. */
export function openApp<S>(state: S, app: string): AppOutcome<S> {
  return new AppOutcome(state, undefined, app);
}

export interface AppDef<S> extends AppInfo {
  /** Platforms the app is installed on. */
  platforms: readonly Platform[];
  /**
   * Fields that are UI only (page, selection, open dialog, drafts): changing them is
   * navigation, not content. The oracle navigates with actions that change nothing else.
   */
  ui: readonly (keyof S & string)[];
  init(rng: Rng, options: unknown, platform: Platform): S;
  view(state: S, ctx: ViewCtx): AppView;
  on(state: S, event: AppEvent, ctx: ViewCtx): S | AppOutcome<S>;
  /** Back inside the app; undefined when already at its root (the world then leaves the app). */
  back?(state: S): S | undefined;
  /** Status-bar icons this app contributes (pixel-only facts, e.g. Wi-Fi on). */
  status?(state: S): IconName[];
}

// The registry holds apps of different state types; `any` here is the one erased boundary.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyApp = AppDef<any>;

/** Identity helper that checks an app definition against its state type. */
export function defineApp<S>(def: AppDef<S>): AppDef<S> {
  return def;
}

export function outcome<S>(result: S | AppOutcome<S>): AppOutcome<S> {
  return result instanceof AppOutcome ? result : new AppOutcome(result);
}
