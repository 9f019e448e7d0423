// The World gallery: pick a task, step through the oracle trajectory with buttons and keys,
// and check the canvas really shows a screen (pixel variance), the step markers and the marks.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, startPreview, type PreviewServer } from './harness';

const STEP_RGB = [255, 0, 200]; // src/ui/components/draw-frame.ts
const MARK_RGB = [0, 150, 255];

let server: PreviewServer;

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
});

/** Luminance variance and the count of pixels of two exact colours on the gallery canvas. */
async function canvasStats(page: Page) {
  return page.evaluate(
    ([step, mark]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="gallery-canvas"]')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      let sq = 0;
      let stepPixels = 0;
      let markPixels = 0;
      const n = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        sum += l;
        sq += l * l;
        const is = (c: number[]) =>
          data[i] === c[0] && data[i + 1] === c[1] && data[i + 2] === c[2];
        if (is(step)) stepPixels++;
        if (is(mark)) markPixels++;
      }
      const mean = sum / n;
      return { width: canvas.width, variance: sq / n - mean * mean, stepPixels, markPixels };
    },
    [STEP_RGB, MARK_RGB],
  );
}

test('opens the gallery, steps through a trajectory and draws screen, markers and marks', async () => {
  const session = await openBrowser({ webgpu: true });
  try {
    const { page } = session;
    await page.goto(`${server.url}#/worlds`);
    await page.getByRole('heading', { name: 'World gallery' }).waitFor({ timeout: 30_000 });

    // Pick a task by its labelled controls.
    await page.getByLabel('App').selectOption('mail');
    await page.getByLabel('Task template').selectOption('mail.reply');
    await page.getByLabel('Seed').fill('3');
    await page.getByLabel('Seed').press('Enter');
    await page.getByLabel('Seed').blur();
    await expect
      .poll(() => page.getByTestId('gallery-instruction').textContent())
      .toContain("Reply 'See you at 5'");

    const canvas = page.getByTestId('gallery-canvas');
    const first = await canvasStats(page);
    expect(first.width).toBe(160 * 3);
    expect(first.variance).toBeGreaterThan(100);
    expect(Number(await canvas.getAttribute('data-markers'))).toBeGreaterThan(0);
    expect(first.stepPixels).toBeGreaterThan(100);
    expect(first.markPixels).toBeGreaterThan(100);

    // Forwards with the buttons, then with the keyboard on the screen.
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.getByRole('button', { name: 'Next step' }).click();
    await expect.poll(() => canvas.getAttribute('data-step')).toBe('2');
    const screen = page.getByRole('slider', { name: /Trajectory step/ });
    await screen.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => canvas.getAttribute('data-step')).toBe('3');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => canvas.getAttribute('data-step')).toBe('2');
    await expect.poll(() => page.getByTestId('gallery-position').textContent()).toBe('step 3 of 7');

    const later = await canvasStats(page);
    expect(later.variance).toBeGreaterThan(100);
    expect(later.stepPixels).toBeGreaterThan(100);
    await session.screenshot('gallery');

    // The overlay toggle removes the marks but keeps the step markers.
    await page.getByLabel('Element boxes and marks').uncheck();
    await expect.poll(async () => (await canvasStats(page)).markPixels).toBe(0);
    expect((await canvasStats(page)).stepPixels).toBeGreaterThan(100);

    // To the end: no markers are left once the trajectory is complete.
    await screen.focus();
    await page.keyboard.press('End');
    await expect.poll(async () => (await canvasStats(page)).stepPixels).toBe(0);
    await expect.poll(() => page.getByText('Trajectory complete.').isVisible()).toBe(true);

    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});
