// The random agent on the desktop and web platforms (the generic fuzzer starts mobile worlds):
// step never throws or reports an internal error, states are never mutated and stay plain
// data, element boxes stay on screen, at most one element is focused, frames are stable.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng';
import {
  applyAction,
  createWorld,
  hashPixels,
  observe,
  randomAction,
  render,
  type Platform,
  type WorldState,
} from '../../src/envs';

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

describe.each([
  ['desktop', 'desktop'],
  ['web', 'browser'],
] as [Platform, string][])('%s platform under a random agent', (platform, app) => {
  it('survives 3000 random actions with invariants intact', () => {
    const rng = new Rng(7);
    for (let episode = 0; episode < 10; episode++) {
      let w: WorldState = deepFreeze(
        createWorld(new Rng(episode), {
          platform,
          start: app,
          perturb: { jitter: episode % 3, distractor: episode % 2 ? 'Ad' : null },
        }),
      );
      for (let i = 0; i < 300; i++) {
        const obs = observe(w);
        const action = randomAction(rng, obs, [app]);
        const out = applyAction(w, action, obs);
        expect(out.error ?? '', JSON.stringify(action)).not.toMatch(/^internal error/);
        w = deepFreeze(out.world);
        const after = observe(w);
        expect(after.elements.filter((e) => e.focused).length).toBeLessThanOrEqual(1);
        expect(new Set(after.nodes.map((n) => n.node.key)).size, 'node keys unique').toBe(
          after.nodes.length,
        );
        for (const e of after.elements) {
          const b = e.box;
          expect(
            b.x >= 0 && b.y >= 0 && b.x + b.w <= w.width && b.y + b.h <= w.height,
            `${e.key} ${JSON.stringify(b)}`,
          ).toBe(true);
        }
      }
      expect(JSON.parse(JSON.stringify(w))).toEqual(w);
      // Same state, same pixels.
      expect(hashPixels(render(observe(structuredClone(w))).pixels)).toBe(
        hashPixels(render(observe(w)).pixels),
      );
    }
  });
});
