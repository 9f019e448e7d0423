// The World gallery's trajectories, as its worker computes them: the oracle's steps end with
// 'done', each world is where its step is taken (replaying the steps from the first world gives
// the others), and the worlds survive the copy to the page: there they observe and render
// exactly as in the worker.
import { describe, expect, test } from 'vitest';
import { applyAction, describeElements, hashPixels, observe, render } from '../../src/envs';
import { referenceTrajectory } from '../../src/workers/gallery/trajectory';

describe('gallery trajectories', () => {
  test.each([
    ['mail.reply', 3],
    ['settings.wifi', 1],
  ])('%s, seed %i: solved, replayable, and the same after crossing to the page', (id, seed) => {
    const t = referenceTrajectory(id, seed);
    expect(t.ok).toBe(true);
    expect(t.steps.at(-1)?.type).toBe('done');
    expect(t.worlds).toHaveLength(t.steps.length + 1);
    for (let k = 0; k < t.steps.length; k++) {
      expect(applyAction(t.worlds[k], t.steps[k].action).world).toEqual(t.worlds[k + 1]);
    }

    const copy = structuredClone(t);
    for (let k = 0; k < t.worlds.length; k++) {
      const [here, there] = [observe(t.worlds[k]), observe(copy.worlds[k])];
      expect(describeElements(there)).toBe(describeElements(here));
      expect(hashPixels(render(there).pixels)).toBe(hashPixels(render(here).pixels));
    }
  });

  test('the same template and seed give the same trajectory', () => {
    expect(referenceTrajectory('mail.reply', 3)).toEqual(referenceTrajectory('mail.reply', 3));
    expect(referenceTrajectory('mail.reply', 3).instruction).toContain("Reply 'See you at 5'");
  });

  test('an unknown template is refused by name', () => {
    expect(() => referenceTrajectory('mail.nope', 1)).toThrow(/mail\.nope/);
  });
});
