// A first-time visitor on a laptop (1280×800) and on a phone (390×844): the Train page puts
// Start and the run status on the first screen (no scrolling), the charts explain what they
// will show before a run, a run starts from there, and axe-core finds no violation with the
// run in progress. Every view is then opened and screenshotted (test-artifacts/layout-*.png)
// and checked with axe.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { VIEWS } from '../../src/ui/state/nav.svelte';
import { axeViolations } from './axe';
import { openBrowser, startPreview, type PreviewServer } from './harness';

let server: PreviewServer;

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
});

const VIEWPORTS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** The element's box lies inside the first screen, with the page scrolled to the top. */
async function onFirstScreen(page: Page, testid: string): Promise<boolean> {
  return page.evaluate((id) => {
    const r = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
    return (
      window.scrollY === 0 &&
      r.top >= 0 &&
      r.left >= 0 &&
      r.bottom <= window.innerHeight &&
      r.right <= window.innerWidth
    );
  }, testid);
}

async function runState(page: Page): Promise<string | null> {
  return page.getByTestId('run-status').getAttribute('data-state');
}

for (const viewport of VIEWPORTS) {
  test(`${viewport.name} ${viewport.width}×${viewport.height}: start a run without scrolling, every view without axe violations`, async () => {
    const session = await openBrowser({
      webgpu: true,
      viewport: { width: viewport.width, height: viewport.height },
    });
    try {
      const { page } = session;
      await page.goto(server.url);
      await page.getByTestId('start').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('start').isEnabled()).toBe(true);
      expect(await onFirstScreen(page, 'start')).toBe(true);
      expect(await onFirstScreen(page, 'run-status')).toBe(true);
      // The page is no wider than the screen (nothing to scroll sideways).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      // Before a run every chart explains itself instead of showing an empty frame. (The charts
      // are mounted one per frame after the first paint, the heatmap last.)
      await page.getByTestId('heatmap').waitFor();
      const charts = await page.getByTestId('chart').count();
      expect(charts).toBeGreaterThan(5);
      expect(await page.getByTestId('chart-explain').count()).toBeGreaterThanOrEqual(charts);
      // The setup is a side panel beside the curves on a laptop, a folded sheet on a phone.
      const open = await page
        .getByTestId('setup-sheet')
        .evaluate((d) => (d as HTMLDetailsElement).open);
      expect(open).toBe(viewport.name === 'laptop');
      // No time is promised before this device has been timed.
      expect(await page.getByTestId('time-estimate').textContent()).toMatch(/Not timed/);
      await session.screenshot(`layout-${viewport.name}-train-before`);

      await page.getByTestId('start').click();
      await page.getByTestId('train-progress').waitFor({ timeout: 10_000 });
      await page.waitForFunction(
        () =>
          ['starting', 'running'].includes(
            document.querySelector('[data-testid="run-status"]')?.getAttribute('data-state') ?? '',
          ),
        undefined,
        { timeout: 30_000 },
      );
      // The first points replace the explanations.
      await page.waitForFunction(
        () =>
          Number(document.querySelector('[data-testid="live-run"]')?.getAttribute('data-points')) >
          0,
        undefined,
        { timeout: 150_000 },
      );
      // Starting shows its progress until the first update lands.
      expect(await page.getByTestId('train-progress').count()).toBe(0);
      if (viewport.name === 'laptop') {
        // A few updates in, the time left comes from the speed measured here, and the preset
        // menu carries the measured time.
        await page.waitForFunction(
          () =>
            Number(
              document.querySelector('[data-testid="live-run"]')?.getAttribute('data-points'),
            ) >= 3,
          undefined,
          { timeout: 150_000 },
        );
        await expect
          .poll(() => page.getByTestId('time-estimate').textContent(), { timeout: 30_000 })
          .toMatch(/About \d+ (s|min|h) left/);
        expect(await page.getByTestId('preset').locator('option:checked').textContent()).toMatch(
          /≈ \d+ (s|min|h) here/,
        );
      }
      // The legends show the latest values without hovering, at an integer update.
      // (An off-screen chart refreshes its canvas and legend when it scrolls into view.)
      const loss = page.locator('[data-chart="chart-loss"] [data-testid="chart-legend"]');
      await loss.scrollIntoViewIfNeeded();
      await expect.poll(() => loss.textContent()).toMatch(/update\s*[0-9,]+\s*loss\s*-?[0-9]/);
      // The reward chart shows one group of components at a time.
      const reward = page.locator('[data-chart="chart-reward"]');
      const legendLabels = () =>
        reward.locator('[data-testid="chart-legend"] li:not(.update)').allTextContents();
      expect((await legendLabels()).join(' ')).toMatch(/mean reward/);
      await reward.getByText('Penalties', { exact: true }).click();
      await expect.poll(async () => (await legendLabels()).join(' ')).toMatch(/repetitionPenalty/);
      expect((await legendLabels()).join(' ')).not.toMatch(/mean reward/);
      expect(await axeViolations(page)).toEqual([]);
      await session.screenshot(`layout-${viewport.name}-train-running`);
      await page.getByTestId('stop').click();
      await expect.poll(() => runState(page), { timeout: 60_000 }).toMatch(/stopped|finished/);

      for (const view of VIEWS.filter((v) => v.id !== 'train')) {
        await page.getByRole('link', { name: view.title }).click();
        await page.waitForFunction((id) => location.hash.startsWith(`#/${id}`), view.id);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        // Loading the planner shows its progress (phase and seconds), not a bare sentence.
        if (view.id === 'agent')
          expect(await page.getByTestId('agent-progress').textContent()).toMatch(/\d+ s/);
        expect(await axeViolations(page), view.id).toEqual([]);
        await session.screenshot(`layout-${viewport.name}-${view.id}`);
      }
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
    }
  });
}
