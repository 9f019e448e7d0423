// The first page in real Chromium: the kernel self-test runs in a module worker on the
// WebGPU adapter and every op matches the CPU reference; with WebGPU disabled the page says
// so and the CPU backend runs the cases instead, on a tablet-width screen that the keyboard
// alone can drive.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBrowser, startPreview, waitForSelfTest, type PreviewServer } from './harness';

let server: PreviewServer;

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
});

describe('kernel self-test page', () => {
  test('runs every op on the WebGPU adapter and all match the CPU reference', async () => {
    const session = await openBrowser({ webgpu: true });
    try {
      const { page } = session;
      await page.goto(`${server.url}#/selftest`);
      await expect.poll(() => page.title()).toBe('TraceLab');
      const outcome = await waitForSelfTest(page, 150_000);
      await session.screenshot('selftest-webgpu');

      // Compared as a list so a failure prints every failing case with its error.
      const failures = outcome.rows.filter((r) => !r.passed).map((r) => r.detail);

      // It ran on a GPU adapter, not the CPU fallback.
      expect(outcome.backend).toBe('webgpu');
      expect(await page.getByTestId('webgpu-missing').count()).toBe(0);
      expect(await page.getByTestId('gpu-panel').isVisible()).toBe(true);
      expect(await page.getByTestId('gpu-vendor').textContent()).not.toBe('—');

      expect(failures).toEqual([]);
      expect(outcome.total).toBeGreaterThan(0);
      expect(outcome.rows).toHaveLength(outcome.total);
      expect(outcome.passed).toBe(outcome.total);
      expect(outcome.status).toBe('passed');
      expect(outcome.headline).toMatch(new RegExp(`^${outcome.total}/${outcome.total} passed on `));
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
    }
  });

  // At tablet width, which also shows that nothing spills sideways and the keyboard works.
  test('without WebGPU it explains which browsers work, runs the CPU backend, and is keyboard-operable on a tablet', async () => {
    const session = await openBrowser({ webgpu: false, viewport: { width: 820, height: 1180 } });
    try {
      const { page } = session;
      await page.goto(`${server.url}#/selftest`);
      const outcome = await waitForSelfTest(page, 150_000);
      await session.screenshot('selftest-no-webgpu');

      const notice = page.getByTestId('webgpu-missing');
      expect(await notice.isVisible()).toBe(true);
      const text = (await notice.textContent()) ?? '';
      for (const needle of [
        'Chrome or Edge 113',
        'Firefox 141',
        'Safari 26',
        '--enable-unsafe-webgpu',
      ]) {
        expect(text).toContain(needle);
      }
      expect(await page.getByTestId('gpu-panel').count()).toBe(0);

      expect(outcome.backend).toBe('cpu');
      expect(await page.getByTestId('cpu-only').isVisible()).toBe(true);
      expect(outcome.total).toBeGreaterThan(0);
      expect(outcome.status).toBe('passed');
      expect(outcome.headline).toBe(`${outcome.total}/${outcome.total} passed on the CPU backend`);

      // Nothing spills sideways at tablet width.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);

      // Every view is reachable from the nav, none is a placeholder.
      const nav = page.getByRole('navigation', { name: 'Views' });
      expect(await nav.getByRole('link').allTextContents()).toEqual([
        'Train',
        'Self-test',
        'World gallery',
        'Runs',
        'Agent viewer',
        'GRPO explainer',
      ]);
      expect(await nav.textContent()).not.toContain('coming soon');

      // Tab reaches the run button, and Enter starts a new run.
      await page.evaluate(() => {
        const summary = document.querySelector('[data-testid="selftest-summary"]')!;
        new MutationObserver(() => {
          if (summary.getAttribute('data-status') === 'running')
            document.body.dataset.reran = 'yes';
        }).observe(summary, { attributes: true });
      });
      const button = page.getByRole('button', { name: 'Run again' });
      for (
        let i = 0;
        i < 10 && !(await button.evaluate((b) => b === document.activeElement));
        i++
      ) {
        await page.keyboard.press('Tab');
      }
      expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.body.dataset.reran === 'yes');
      await waitForSelfTest(page, 150_000);
      await session.screenshot('selftest-tablet');
      expect(session.errors).toEqual([]);
    } finally {
      await session.close();
    }
  });
});
