// Perturbations chosen at reset, all seeded: theme and colours, layout jitter, a distractor
// banner, a pop-up to dismiss, and an initial scroll offset on the first screen.
import type { Rng } from '../rng';
import { THEME_NAMES } from './render/theme';
import { observe, scrollKey } from './world';
import type { Perturbation, Popup, WorldState } from './types';

export interface PerturbOptions {
  /** A theme name, or true for a random one. */
  theme?: boolean | string;
  /** Max layout jitter in pixels. */
  jitter?: number;
  /** A sponsored banner at the top of every scrolling screen. */
  distractor?: boolean;
  /** A system pop-up to dismiss first. */
  popup?: boolean;
  /** Start the first screen scrolled by a random amount. */
  initialScroll?: boolean;
}

const ADS = ['Sponsored: Try Premium', 'Ad: 50% off today', 'Upgrade your plan'];
const POPUPS: Popup[] = [
  { title: 'Update ready', text: 'Restart later?', button: 'OK' },
  { title: 'Battery low', text: '15% remaining', button: 'Close' },
  { title: 'Rate this app', text: 'Enjoying it?', button: 'Not now' },
];

export function pickPerturbation(rng: Rng, opts: PerturbOptions): Perturbation {
  const theme =
    typeof opts.theme === 'string' ? opts.theme : opts.theme ? rng.pick(THEME_NAMES) : 'light';
  return {
    theme,
    jitter: opts.jitter ?? 0,
    jitterSeed: rng.nextU32(),
    distractor: opts.distractor ? rng.pick(ADS) : null,
  };
}

/** The reset-time effects that live in the world state (pop-up, initial scroll). */
export function applyStartPerturbations(w: WorldState, rng: Rng, opts: PerturbOptions): WorldState {
  let out = w;
  if (opts.initialScroll) {
    const obs = observe(out);
    if (obs.scroll.maxY > 0) {
      const y = rng.int(1, obs.scroll.maxY);
      out = { ...out, scroll: { ...out.scroll, [scrollKey(out, obs.screen)]: [0, y] } };
    }
  }
  if (opts.popup) out = { ...out, popup: rng.pick(POPUPS) };
  return out;
}
