// Every template is solved by the oracle from its start state and from random reachable
// states (random actions first), and replaying the reference trajectory really succeeds.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng';
import {
  TEMPLATES,
  applyAction,
  instantiate,
  observe,
  randomAction,
  solve,
  type AnyTemplate,
  type RefStep,
  type WorldState,
} from '../../src/envs';

const SEEDS = 50;

/** Apply the reference actions; every one must be valid. Returns the final world. */
function replay(world: WorldState, steps: RefStep[]): WorldState {
  let w = world;
  for (const s of steps) {
    const out = applyAction(w, s.action);
    expect(out.error, `${s.instruction}`).toBeUndefined();
    w = out.world;
  }
  return w;
}

function solveAndCheck(t: AnyTemplate, params: unknown, w: WorldState, label: string): RefStep[] {
  const r = solve(t, params, w);
  expect(
    r.ok,
    `${label}: ${r.ok ? '' : r.reason}\n${r.steps.map((s) => s.instruction).join('\n')}`,
  ).toBe(true);
  expect(r.steps.at(-1)!.type).toBe('done');
  const end = replay(w, r.steps);
  expect(t.check(end, params), `${label}: check after replay`).toBe(true);
  return r.steps;
}

describe.each([...TEMPLATES.values()].map((t) => [t.id, t] as const))('template %s', (_id, t) => {
  it('has tags, an instruction and deterministic generation', () => {
    expect(t.tags.suite).toBeTruthy();
    const a = instantiate(t, 7);
    const b = instantiate(t, 7);
    expect(a.instruction).toBe(b.instruction);
    expect(a.world).toEqual(b.world);
    // Different seeds give different tasks (parameters or at least the apps' content).
    const variants = new Set([...Array(10).keys()].map((s) => JSON.stringify(instantiate(t, s))));
    expect(variants.size).toBeGreaterThan(5);
  });

  it(`is solved from the start for ${SEEDS} seeds (3..15 steps, check false before)`, () => {
    for (let seed = 0; seed < SEEDS; seed++) {
      const task = instantiate(t, seed);
      expect(t.check(task.world, task.params), `seed ${seed}: already solved at the start`).toBe(
        false,
      );
      expect(t.failed?.(task.world, task.params) ?? false).toBe(false);
      const steps = solveAndCheck(t, task.params, task.world, `seed ${seed}`);
      expect(steps.length, `seed ${seed}`).toBeGreaterThanOrEqual(3);
      expect(steps.length, `seed ${seed}`).toBeLessThanOrEqual(15);
    }
  });

  it(`is solved from random intermediate states for ${SEEDS} seeds`, () => {
    let solvedMidway = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const task = instantiate(t, 1000 + seed);
      const rng = new Rng(seed);
      let w = task.world;
      const n = rng.int(1, 12);
      for (let i = 0; i < n; i++) w = applyAction(w, randomAction(rng, observe(w), t.apps)).world;
      // A few oracle steps, then a wrong turn, is another common mid-episode state.
      if (rng.chance(0.5)) {
        const r = solve(t, task.params, w);
        if (r.ok && r.steps.length > 2)
          w = replay(w, r.steps.slice(0, rng.int(1, r.steps.length - 2)));
        w = applyAction(w, randomAction(rng, observe(w), t.apps)).world;
      }
      if (t.failed?.(w, task.params)) continue;
      solveAndCheck(t, task.params, w, `seed ${seed} after ${n} random actions`);
      solvedMidway++;
    }
    expect(solvedMidway).toBeGreaterThan(SEEDS / 2);
  });

  it('is solved under every perturbation', () => {
    for (let seed = 0; seed < 10; seed++) {
      const task = instantiate(t, seed, {
        perturb: { theme: true, jitter: 2, distractor: true, popup: true, initialScroll: true },
      });
      solveAndCheck(t, task.params, task.world, `perturbed seed ${seed}`);
    }
  });
});

describe('template set', () => {
  it('covers every anticipation category, cross-app tasks and all four apps', () => {
    const ts = [...TEMPLATES.values()];
    const cats = new Set(ts.map((t) => t.tags.category));
    for (const c of [
      'target-off-screen',
      'order-matters',
      'early-choice',
      'irreversible',
      'cross-app',
    ])
      expect(cats.has(c as never), c).toBe(true);
    expect(ts.filter((t) => t.tags.category === 'cross-app').length).toBeGreaterThanOrEqual(2);
    const apps = new Set(ts.flatMap((t) => t.apps));
    for (const a of ['settings', 'mail', 'files', 'shop']) expect(apps.has(a), a).toBe(true);
  });

  it('a wrong irreversible action fails the task for good', () => {
    const t = TEMPLATES.get('files.delete')!;
    const task = instantiate(t, 3);
    const p = task.params as { folder: string; name: string };
    // Delete the look-alike instead of the target.
    const decoy = p.name.replace(/-(\d)\./, (_m, d) => `-${Number(d) + 1}.`);
    const wrong = { ...t, plan: () => t.plan({ ...p, name: decoy }), check: () => false };
    const r = solve(wrong, p, task.world);
    expect(r.ok).toBe(false);
    let w = task.world;
    for (const s of r.steps) w = applyAction(w, s.action).world;
    expect(t.failed!(w, p)).toBe(true);
    expect(solve(t, p, w).ok).toBe(false);
  });
});
