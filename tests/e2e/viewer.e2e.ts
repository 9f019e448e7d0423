// The Agent viewer and the GRPO explainer in Chromium on the software GPU: the viewer draws a
// real screen with the forecast overlay (pixels of the marker colours), stepping forwards and
// backwards (buttons and keys) changes the frame, side by side shows two canvases, and the
// explainer shows G forecasts with their advantages. Screenshots go to test-artifacts/.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, startPreview, type PreviewServer } from './harness';

// src/ui/viewer/draw-agent.ts and src/ui/components/draw-frame.ts
const EXECUTED_RGB = [255, 120, 0];
const MARK_RGB = [0, 150, 255];
const TARGET_RGB = [0, 190, 90];

let server: PreviewServer;

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
});

/** Luminance variance, colour counts and a cheap hash of one canvas's pixels. */
async function canvasStats(page: Page, testid: string) {
  return page.evaluate(
    ([id, executed, mark, target]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`)!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let sum = 0;
      let sq = 0;
      let hash = 0;
      const count = { executed: 0, mark: 0, target: 0 };
      const n = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        sum += l;
        sq += l * l;
        hash = (Math.imul(hash, 31) + data[i] + data[i + 1] * 7 + data[i + 2] * 13) | 0;
        const is = (c: number[]) =>
          data[i] === c[0] && data[i + 1] === c[1] && data[i + 2] === c[2];
        if (is(executed)) count.executed++;
        if (is(mark)) count.mark++;
        if (is(target)) count.target++;
      }
      const mean = sum / n;
      return { width: canvas.width, variance: sq / n - mean * mean, hash, ...count };
    },
    [testid, EXECUTED_RGB, MARK_RGB, TARGET_RGB] as const,
  );
}

const PLAY_TIMEOUT = 150_000;

async function waitForEpisode(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('agent-position').textContent(), { timeout: PLAY_TIMEOUT })
    .toMatch(/step 1 of \d+/);
}

test('agent viewer: screen with forecast overlay, stepping, keyboard, side by side', async () => {
  const session = await openBrowser({ webgpu: true, viewport: { width: 1024, height: 900 } });
  try {
    const { page } = session;
    await page.goto(`${server.url}#/agent`);
    await page.getByRole('heading', { name: 'Agent viewer' }).waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('weights-info').textContent(), { timeout: PLAY_TIMEOUT })
      .toMatch(/H = \d+/);
    await page.getByLabel('App').selectOption('settings');
    await page.getByLabel('Task template').selectOption('settings.wifi');
    await waitForEpisode(page);

    const id = 'agent-anticipatory-canvas';
    const canvas = page.getByTestId(id);
    const first = await canvasStats(page, id);
    expect(first.width).toBe(160 * 3);
    expect(first.variance).toBeGreaterThan(100);
    expect(first.mark).toBeGreaterThan(100);
    // The settings.wifi start screen: the oracle's target (the Settings button) is boxed, and
    // the executed first step is drawn (on its click point, or as a badge).
    expect(first.target).toBeGreaterThan(100);
    expect(first.executed).toBeGreaterThan(50);
    expect(
      await page.getByTestId('agent-anticipatory-forecast').locator('li').count(),
    ).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('reward-table').count()).toBe(1);
    // Clicks go through the frozen ONNX grounder, not the stand-in.
    expect(await page.getByText(/Clicks resolved by:/).textContent()).toMatch(/frozen grounder/);
    await session.screenshot('viewer-agent');

    // Forwards with the button, back with the keyboard. An untrained planner may waste turns
    // (the screen stays the same), so the frame that must differ is the final screen, which
    // has no forecast overlay.
    const position = page.getByTestId('agent-position');
    const steps = Number(/of (\d+)/.exec((await position.textContent())!)![1]);
    expect(steps).toBeGreaterThanOrEqual(1);
    await page.getByTestId('agent-next').click();
    await expect.poll(() => canvas.getAttribute('data-step')).toBe('1');
    await page.getByTestId('agent-episodes').focus();
    await page.keyboard.press('End');
    await expect.poll(() => canvas.getAttribute('data-step')).toBe(String(steps));
    await expect.poll(() => position.textContent()).toMatch(/end/);
    const last = await canvasStats(page, id);
    expect(last.hash).not.toBe(first.hash);
    expect(last.executed).toBe(0);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => canvas.getAttribute('data-step')).toBe(String(steps - 1));
    await page.keyboard.press('Home');
    await expect.poll(() => canvas.getAttribute('data-step')).toBe('0');
    expect((await canvasStats(page, id)).hash).toBe(first.hash);
    await page.getByTestId('agent-next').click();
    await page.getByTestId('agent-prev').click();
    await expect.poll(() => canvas.getAttribute('data-step')).toBe('0');

    // Side by side: the reactive agent (H = 1) beside the anticipatory one.
    await page.getByLabel('Reactive (H = 1) beside anticipatory').check();
    await expect
      .poll(() => page.locator('canvas[data-testid$="-canvas"]').count(), {
        timeout: PLAY_TIMEOUT,
      })
      .toBe(2);
    await waitForEpisode(page);
    const reactive = await canvasStats(page, 'agent-reactive-canvas');
    expect(reactive.width).toBe(160 * 2);
    expect(reactive.variance).toBeGreaterThan(100);
    expect(await page.getByRole('heading', { name: 'Reactive agent (H = 1)' }).count()).toBe(1);
    await session.screenshot('viewer-agent-side-by-side');
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});

test('GRPO explainer: G forecasts with rewards, advantages and log-prob moves', async () => {
  const session = await openBrowser({ webgpu: true, viewport: { width: 1024, height: 900 } });
  try {
    const { page } = session;
    await page.goto(`${server.url}#/grpo`);
    await page.getByRole('heading', { name: 'GRPO explainer' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('grpo-what').textContent()).toMatch(/advantage/);

    // Invalid values are refused beside the field.
    await page.getByLabel('Group size G').fill('1');
    await page.getByLabel('Group size G').press('Enter');
    await expect
      .poll(() => page.getByText('must be a whole number between 2 and 8').count())
      .toBe(1);
    await page.getByLabel('Group size G').fill('4');
    await page.getByLabel('Group size G').blur();
    await expect
      .poll(() => page.getByText('must be a whole number between 2 and 8').count())
      .toBe(0);

    await page.getByTestId('grpo-run').click();
    await expect
      .poll(() => page.getByTestId('grpo-row').count(), { timeout: PLAY_TIMEOUT })
      .toBe(4);
    await expect
      .poll(() => page.getByRole('button', { name: 'Sample and update' }).isEnabled(), {
        timeout: PLAY_TIMEOUT,
      })
      .toBe(true);
    const adv = await page
      .getByTestId('grpo-advantage')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(adv.length).toBe(4);
    for (const a of adv) expect(Number.isFinite(a)).toBe(true);
    // Group-normalised: they sum to zero.
    expect(Math.abs(adv.reduce((s, a) => s + a, 0))).toBeLessThan(1e-3);
    const moves = await page
      .getByTestId('grpo-row')
      .evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[3]?.textContent ?? ''));
    for (const m of moves) expect(m).toMatch(/→.*\(/);
    await session.screenshot('viewer-grpo');
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});
