// The World gallery's screens, as its worker prepares them for the page: the first comes with
// the trajectory, any other on request, each exactly the observation and frame of its world,
// and a screen outside the trajectory is refused by number.
import { describe, expect, test } from 'vitest';
import { describeElements, hashPixels, observe, render } from '../../src/envs';
import { galleryScreen, galleryTrajectory } from '../../src/workers/gallery/screens';
import { referenceTrajectory } from '../../src/workers/gallery/trajectory';

function expectScreenOf(id: string, seed: number, step: number) {
  const world = referenceTrajectory(id, seed).worlds[step];
  const obs = observe(world);
  const screen = galleryScreen(id, seed, step);
  expect(screen.step).toBe(step);
  expect(`${screen.app}/${screen.screen}`).toBe(`${obs.app}/${obs.screen}`);
  expect(screen.elements).toEqual(obs.elements);
  expect(screen.elementList).toBe(describeElements(obs));
  expect(hashPixels(screen.frame.pixels)).toBe(hashPixels(render(obs).pixels));
}

describe('gallery screens', () => {
  test('the trajectory carries its steps, every screen name and the first screen', () => {
    const ref = referenceTrajectory('mail.reply', 3);
    const t = galleryTrajectory('mail.reply', 3);
    expect(t.instruction).toBe(ref.instruction);
    expect(t.steps).toEqual(ref.steps);
    expect(t.screens).toEqual(
      ref.worlds.map((w) => {
        const obs = observe(w);
        return `${obs.app}/${obs.screen}`;
      }),
    );
    expect(new Set(t.screens).size).toBeGreaterThan(1);
    expect(t.first).toEqual(galleryScreen('mail.reply', 3, 0));
  });

  test('each screen on request is its world observed and rendered, across template changes', () => {
    const last = referenceTrajectory('mail.reply', 3).steps.length;
    galleryTrajectory('settings.wifi', 1);
    expectScreenOf('mail.reply', 3, 2);
    expectScreenOf('settings.wifi', 1, 1);
    expectScreenOf('mail.reply', 3, last);
  });

  test('a screen outside the trajectory is refused by number', () => {
    const last = referenceTrajectory('mail.reply', 3).steps.length;
    expect(() => galleryScreen('mail.reply', 3, last + 1)).toThrow(
      new RegExp(`no screen ${last + 1}: .* 0 to ${last}`),
    );
    expect(() => galleryScreen('mail.reply', 3, -1)).toThrow(/no screen -1/);
  });
});
