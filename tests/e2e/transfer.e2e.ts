// Runs that travel: a tiny run trained and paused in one browser profile is exported as one
// file; in a second, fresh profile the file is imported and resumed, and its next update's
// loss equals, bit for bit, the loss the first profile gets for that update. A damaged copy is
// refused with the reason. "Copy link" hands over a link that sets up the same run elsewhere.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations } from './axe';
import {
  openBrowser,
  points,
  setUpStage0Run,
  startPreview,
  waitForPoints,
  waitForState,
  type PreviewServer,
} from './harness';

let server: PreviewServer;

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
});

// ci-tiny trains on the CPU backend; stage 0 long enough to pause in.
const RUN = '#/train?preset=ci-tiny&run.sftUpdates=200&run.seed=5';

type Hook = {
  train: { state: { dashboard: { columns: { length: number; scalars: { loss: Float64Array } } } } };
};

/** The loss of run-wide row `row`, exactly as the page holds it. */
function lossAt(page: Page, row: number): Promise<number> {
  return page.evaluate(
    (r) =>
      (window as unknown as { __tracelab: Hook }).__tracelab.train.state.dashboard.columns.scalars
        .loss[r],
    row,
  );
}

/**
 * Profile A: copy the link, train a few updates, pause, export the run; then take the update
 * after the pause here, and return its loss with the file and the link.
 */
async function trainAndExport() {
  const a = await openBrowser({ webgpu: true });
  try {
    const { page, context } = a;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await setUpStage0Run(page, `${server.url}?test${RUN}`);

    await page.getByTestId('copy-link').click();
    await expect.poll(() => page.getByTestId('copy-link-status').textContent()).toMatch(/copied/);
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain('#/train?preset=ci-tiny');
    expect(link).toContain('run.seed=5');

    await page.getByTestId('start').click();
    await waitForPoints(page, 3);
    await page.getByTestId('pause').click();
    await waitForState(page, 'paused');
    const paused = await points(page);

    await page.getByRole('link', { name: 'Runs' }).click();
    const row = page.getByTestId('run-row');
    await row.waitFor();
    const download = page.waitForEvent('download');
    await row.getByTestId('export-run').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/\.tracelab-run$/);
    const file = join(tmpdir(), `tracelab-e2e-${Date.now()}.tracelab-run`);
    await saved.saveAs(file);
    await page.getByTestId('transfer-notice').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // The update after the pause, in this profile.
    await page.getByRole('link', { name: 'Train' }).click();
    await page.getByTestId('single-update').click();
    await waitForPoints(page, paused + 1);
    await waitForState(page, 'paused');
    const nextLoss = await lossAt(page, paused);
    expect(Number.isFinite(nextLoss)).toBe(true);
    await page.getByTestId('stop').click();
    expect(a.errors).toEqual([]);
    return { file, paused, nextLoss, link };
  } finally {
    await a.close();
  }
}

test('export, import in a fresh profile, resume: the same next loss; copy link sets up the same run', async () => {
  const { file, paused, nextLoss, link } = await trainAndExport();
  const b = await openBrowser({ webgpu: true });
  try {
    const { page } = b;
    // The shared link sets up the same run in another profile.
    await page.goto(link);
    await page.getByTestId('start').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('preset').inputValue()).toBe('ci-tiny');
    expect(await page.getByLabel('Seed', { exact: true }).inputValue()).toBe('5');

    await page.goto(`${server.url}?test#/runs`);
    const input = page.getByTestId('import-run');
    await input.waitFor();
    // A damaged copy is refused, naming why, and stores nothing.
    const damaged = readFileSync(file);
    damaged[damaged.length - 50] ^= 0xff;
    const damagedPath = `${file}.damaged.tracelab-run`;
    writeFileSync(damagedPath, damaged);
    await input.setInputFiles(damagedPath);
    await expect
      .poll(() => page.getByTestId('runs-error').textContent())
      .toMatch(/Not imported: the file is damaged/);
    expect(await page.getByTestId('run-row').count()).toBe(0);

    await input.setInputFiles(file);
    await expect.poll(() => page.getByTestId('transfer-notice').textContent()).toMatch(/Imported/);
    expect(Number(await page.getByTestId('run-row').getAttribute('data-updates'))).toBe(paused);

    await page.getByRole('link', { name: 'Train' }).click();
    await page
      .getByTestId('resumable-run')
      .getByRole('button', { name: /Resume run/ })
      .click();
    await waitForPoints(page, paused + 1);
    await page.getByTestId('pause').click();
    await waitForState(page, 'paused');
    expect(await lossAt(page, paused)).toBe(nextLoss);
    expect(b.errors).toEqual([]);
  } finally {
    await b.close();
    rmSync(file, { force: true });
    rmSync(`${file}.damaged.tracelab-run`, { force: true });
  }
});
