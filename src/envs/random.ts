// A random agent: seeded actions drawn from what is on screen (mostly sensible, sometimes
// not), for fuzzing the world and for reaching random intermediate states in oracle tests.
import type { Rng } from '../rng';
import type { Action, Direction, Observation } from './types';

const DIRECTIONS: Direction[] = ['up', 'down', 'left', 'right'];
const WORDS = ['hello', 'abc', 'x', '', 'Lab 7', 'lamp', 'report.pdf', 'zz'];

export function randomAction(rng: Rng, obs: Observation, apps: readonly string[]): Action {
  const r = rng.next();
  const els = obs.elements;
  if (r < 0.55 && els.length) return { type: 'click', id: rng.pick(els).id };
  if (r < 0.6)
    return { type: 'click', x: rng.int(-5, obs.width + 5), y: rng.int(-5, obs.height + 5) };
  if (r < 0.65 && els.length) return { type: 'longpress', id: rng.pick(els).id };
  if (r < 0.73) return { type: 'type', text: rng.pick(WORDS) };
  if (r < 0.83) return { type: 'scroll', direction: rng.pick(DIRECTIONS) };
  if (r < 0.9) return { type: 'back' };
  if (r < 0.93) return { type: 'home' };
  if (r < 0.97 && apps.length) return { type: 'open', app: rng.pick(apps) };
  if (r < 0.985) return { type: 'wait' };
  return { type: 'answer', text: rng.pick(WORDS) };
}
