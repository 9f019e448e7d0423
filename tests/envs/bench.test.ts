// Throughput of the world, printed (not asserted): env steps/s, renders/s, oracle solves/s.
import { expect, it } from 'vitest';
import { Rng } from '../../src/rng';
import {
  TEMPLATES,
  applyAction,
  instantiate,
  observe,
  randomAction,
  render,
  solve,
} from '../../src/envs';

it('prints env steps/s, renders/s and oracle solves/s', () => {
  const ts = [...TEMPLATES.values()];
  const rng = new Rng(1);
  const worlds = ts.map((t, i) => instantiate(t, i).world);

  let steps = 0;
  let t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    let w = worlds[steps % worlds.length];
    for (let i = 0; i < 20; i++, steps++)
      w = applyAction(
        w,
        randomAction(rng, observe(w), ['mail', 'files', 'shop', 'settings']),
      ).world;
  }
  const stepRate = (steps * 1000) / (performance.now() - t0);

  // Renders of varied screens (the observation is computed outside the timed loop).
  const obs = [];
  for (const t of ts) {
    const task = instantiate(t, 3);
    const r = solve(t, task.params, task.world);
    let w = task.world;
    for (const s of r.steps) {
      obs.push(observe(w));
      w = applyAction(w, s.action).world;
    }
  }
  const buf = new Uint8Array(obs[0].width * obs[0].height * 3);
  let frames = 0;
  t0 = performance.now();
  while (performance.now() - t0 < 1000)
    for (let i = 0; i < 50; i++, frames++) render(obs[frames % obs.length], buf);
  const renderRate = (frames * 1000) / (performance.now() - t0);

  let solves = 0;
  t0 = performance.now();
  while (performance.now() - t0 < 1000) {
    const t = ts[solves % ts.length];
    const task = instantiate(t, solves);
    expect(solve(t, task.params, task.world).ok).toBe(true);
    solves++;
  }
  const solveRate = (solves * 1000) / (performance.now() - t0);
  console.log(
    `envs bench: ${stepRate.toFixed(0)} env steps/s (observe + act), ${renderRate.toFixed(0)} renders/s ` +
      `(${obs.length} distinct screens), ${solveRate.toFixed(0)} oracle solves/s (with instantiate)`,
  );
});
