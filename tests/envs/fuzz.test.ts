// A random agent hammers every app: step never throws, no action is an internal error, and
// the invariants hold: element boxes on screen, at most one focused element, states that are
// plain serialisable data, and no app mutating a previous state.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng';
import {
  APPS,
  Episode,
  TEMPLATES,
  applyAction,
  createWorld,
  observe,
  randomAction,
  type WorldState,
} from '../../src/envs';

const STEPS_PER_APP = 3000;

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

function checkInvariants(w: WorldState, where: string): void {
  const obs = observe(w);
  expect(obs.elements.filter((e) => e.focused).length, where).toBeLessThanOrEqual(1);
  for (const e of obs.elements) {
    const b = e.box;
    const inside =
      b.x >= 0 && b.y >= 0 && b.w > 0 && b.h > 0 && b.x + b.w <= w.width && b.y + b.h <= w.height;
    if (!inside)
      throw new Error(
        `${where}: element ${e.id} ${e.role} '${e.text}' box ${JSON.stringify(b)} off screen`,
      );
    expect(e.id).toBe(obs.elements.indexOf(e) + 1);
  }
  expect(w.installed).toContain(w.app);
  expect(obs.scroll.y).toBeLessThanOrEqual(obs.scroll.maxY);
}

describe.each([...APPS.keys()])('app %s under a random agent', (app) => {
  it(`survives ${STEPS_PER_APP} random actions with invariants intact`, () => {
    const rng = new Rng(42);
    const apps = [...APPS.keys()];
    for (let episode = 0; episode < 10; episode++) {
      let w = deepFreeze(
        createWorld(new Rng(episode), {
          start: APPS.get(app)!.platforms.includes('mobile') ? app : 'launcher',
          perturb: { jitter: episode % 3, distractor: episode % 2 ? 'Ad' : null },
        }),
      );
      for (let i = 0; i < STEPS_PER_APP / 10; i++) {
        const action = randomAction(rng, observe(w), apps);
        const out = applyAction(w, action);
        if (out.error?.startsWith('internal error'))
          throw new Error(`${JSON.stringify(action)}: ${out.error}`);
        w = deepFreeze(out.world);
        checkInvariants(w, `episode ${episode} step ${i} after ${JSON.stringify(action)}`);
      }
      expect(structuredClone(w)).toEqual(w);
      expect(JSON.parse(JSON.stringify(w))).toEqual(w);
    }
  });
});

describe('episode core', () => {
  const t = TEMPLATES.get('settings.wifi')!;

  it('ends on done, reports success from the check, and ends idempotently', () => {
    const ep = new Episode(t, 5);
    ep.reset();
    const steps = ep.oracle();
    expect(steps.ok).toBe(true);
    let last;
    for (const s of steps.ok ? steps.steps : []) last = ep.step(s.action);
    expect(last!.done).toBe(true);
    expect(last!.success).toBe(true);
    expect(last!.reward).toBe(1);
    const again = ep.step({ type: 'click', x: 10, y: 10 });
    expect(again.done).toBe(true);
    expect(again.success).toBe(true);
    expect(again.error).toBe('episode is over');
    expect(ep.steps).toBe(steps.ok ? steps.steps.length : -1);
  });

  it('times out after the step budget with failure', () => {
    const ep = new Episode(t, 5, { maxSteps: 4 });
    ep.reset();
    let r;
    for (let i = 0; i < 4; i++) r = ep.step({ type: 'wait' });
    expect(r!.done).toBe(true);
    expect(r!.success).toBe(false);
    expect(r!.reward).toBe(0);
  });

  it('turns invalid actions into no-ops with an error and never throws', () => {
    const ep = new Episode(t, 5);
    const obs = ep.reset();
    const before = ep.world;
    const bad = [
      { type: 'click', id: 999 },
      { type: 'click', x: NaN, y: 3 },
      { type: 'type', text: 'hi' },
      { type: 'open', app: 'nope' },
      { type: 'back' },
      { type: 'scroll', direction: 'sideways' },
      { type: 'fly' },
      null,
    ];
    for (const a of bad) {
      const r = ep.step(a as never);
      expect(r.error, JSON.stringify(a)).toBeTruthy();
      expect(ep.world).toBe(before);
    }
    expect(obs.elements.length).toBeGreaterThan(0);
  });

  it("an app's content does not depend on which other apps are installed", () => {
    // Desktop installs a different set of apps than mobile; shared apps must match.
    const mobile = createWorld(new Rng(5), { platform: 'mobile' });
    const desktop = createWorld(new Rng(5), { platform: 'desktop' });
    expect(mobile.installed).not.toEqual(desktop.installed);
    for (const app of ['settings', 'mail', 'files'])
      expect(desktop.apps[app], app).toEqual(mobile.apps[app]);
  });

  it('the same seed gives the same task, different seeds differ', () => {
    const a = new Episode(TEMPLATES.get('mail.star')!, 11);
    const b = new Episode(TEMPLATES.get('mail.star')!, 11);
    const c = new Episode(TEMPLATES.get('mail.star')!, 12);
    expect(a.instruction).toBe(b.instruction);
    expect(a.world).toEqual(b.world);
    expect(c.world).not.toEqual(a.world);
  });
});
