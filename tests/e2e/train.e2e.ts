// The Train page in real Chromium on the software GPU (SwiftShader): the setup form from the
// schema (refusals beside the field, settings in the URL surviving a reload), then a tiny run
// trained live — charts that update and change, pause, single update, resume — a reload that
// finds the run in the history with its metrics and resumes it, and the charts' main-thread
// work while training, counted (one redraw per slice, at most two points per pixel column),
// which CPU contention cannot change. Main-thread long tasks are measured and reported, not
// asserted: they are wall clock, and a loaded machine stretches them. Figures go to
// test-artifacts/train-figures.json; the quick demo's stage-1 rate on wasm to
// test-artifacts/stage1-figures.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeCheckpoint } from '../../src/rl/model/checkpoint';
import type { ChartWork } from '../../src/ui/dashboard/chart-work';
import { SHIPPED_STAGE0_URL } from '../../src/workers/trainer/assets';
import {
  ARTIFACTS,
  TINY_GPU_RUN,
  openBrowser,
  openTrainPage,
  points,
  setUpStage0Run,
  startPreview,
  waitForPoints,
  waitForState,
  type PreviewServer,
} from './harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let server: PreviewServer;

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
});

// A 'ci-tiny'-sized run: stage 0 long enough to pause and resume in, on the software GPU.
const TINY = `${TINY_GPU_RUN}&run.stage1Updates=2&run.checkpointEvery=0`;

type LongTask = { start: number; duration: number };
type TestWindow = Window & {
  __longTasks?: LongTask[];
  __tracelab?: { charts?: { work: ChartWork; reset(): void } };
};

/** Records every main-thread long task (> 50 ms) from page start, across reloads. */
async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as TestWindow;
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longTasks!.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

async function longTasksBetween(page: Page, from: number, to: number): Promise<LongTask[]> {
  const all = await page.evaluate(() => (window as TestWindow).__longTasks ?? []);
  return all.filter((t) => t.start + t.duration >= from && t.start <= to);
}

const now = (page: Page) => page.evaluate(() => performance.now());

function lossSummary(page: Page): Promise<string | null> {
  return page.locator('[data-chart="chart-loss"] [data-testid="chart-summary"]').textContent();
}

/** The loss chart's canvas has ink (uPlot drew the curve). */
async function lossInk(page: Page): Promise<number> {
  return page.evaluate(() => {
    // The chart builds its canvas in the redraw queue after it mounts: none yet is no ink.
    const canvas = document.querySelector<HTMLCanvasElement>('[data-chart="chart-loss"] canvas');
    if (!canvas) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let p = 3; p < data.length; p += 4) if (data[p] > 0) ink++;
    return ink;
  });
}

test('setup form: quick demo by default, refusals beside the field, link settings survive a reload', async () => {
  const session = await openBrowser({ webgpu: true });
  try {
    const { page } = session;
    await openTrainPage(page, server.url);
    // The default view is the Train page with the quick demo ready, mirrored in the hash.
    expect(await page.getByTestId('preset').inputValue()).toBe('quick-demo');
    await page.waitForFunction(() => location.hash === '#/train?preset=quick-demo');
    expect(await page.getByTestId('start').isEnabled()).toBe(true);
    // The self-test and the gallery stay reachable.
    await page.getByRole('link', { name: 'Self-test' }).waitFor();
    await page.getByRole('link', { name: 'World gallery' }).waitFor();
    await session.screenshot('train-setup');

    // An out-of-range value is refused beside its field, tied to it for screen readers.
    const group = page.getByLabel('Group size G');
    await group.fill('999');
    const field = page.locator('[data-key="grpo.groupSize"]');
    const error = field.getByTestId('setting-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/≤ 64, got 999/);
    expect(await group.getAttribute('aria-invalid')).toBe('true');
    const errorId = await error.getAttribute('id');
    expect((await group.getAttribute('aria-describedby'))!.split(' ')).toContain(errorId);
    expect(await page.getByTestId('start').isEnabled()).toBe(false);
    await session.screenshot('train-setup-invalid');

    // A valid value clears it and goes into the link; a reload reproduces it.
    await group.fill('3');
    await error.waitFor({ state: 'detached' });
    await page.getByLabel('Seed').fill('77');
    await page.waitForFunction(() => location.hash.includes('run.seed=77'));
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toBe('#/train?preset=quick-demo&grpo.groupSize=3&run.seed=77');
    await page.reload();
    await page.getByRole('heading', { name: 'Train', level: 1 }).waitFor();
    expect(await page.getByLabel('Group size G').inputValue()).toBe('3');
    expect(await page.getByLabel('Seed').inputValue()).toBe('77');

    // A link with another preset and a bad key: the preset applies, the bad key is named.
    // A link with another preset and bad keys: the preset applies, each bad key is named and
    // left out of the address bar, and a reload keeps what applied.
    await page.goto(`${server.url}#/train?preset=teaching&run.seed=5&grpo.klBeta=-1&bogus=1`);
    await page.getByTestId('link-problems').waitFor();
    const problems = await page.getByTestId('link-problems').textContent();
    expect(problems).toContain('grpo.klBeta');
    expect(problems).toContain('bogus');
    await page.waitForFunction(() => location.hash === '#/train?preset=teaching&run.seed=5');
    await page.reload();
    await page.getByRole('heading', { name: 'Train', level: 1 }).waitFor();
    expect(await page.getByTestId('preset').inputValue()).toBe('teaching');
    expect(await page.getByLabel('Seed').inputValue()).toBe('5');
    expect(await page.getByLabel('Group size G').inputValue()).toBe('5');
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});

test('trains live on the software GPU: pause, single update, resume; reload resumes the run; bounded chart work', async () => {
  const session = await openBrowser({ webgpu: true });
  const figures: Record<string, unknown> = {};
  try {
    const { page } = session;
    await observeLongTasks(page);
    // Stage 0 on purpose (ci-tiny's shape may match the shipped checkpoint, whose stage 1 is
    // slow on a software GPU): the test below starts stage 1 from it.
    await setUpStage0Run(page, `${server.url}?test${TINY}`);
    expect(await page.getByTestId('preset').inputValue()).toBe('ci-tiny');
    await page.waitForTimeout(1000); // page-load work is not training

    const t0 = await now(page);
    await page.evaluate(() => (window as TestWindow).__tracelab!.charts!.reset());
    await page.getByTestId('start').click();
    await waitForPoints(page, 1, 120_000);
    figures.firstPointMs = Number(
      await page.getByTestId('live-run').getAttribute('data-first-point-ms'),
    );
    expect(await page.getByTestId('run-status').getAttribute('data-backend')).toBe('webgpu');
    await page.getByTestId('software-gpu').waitFor();
    expect(await page.getByTestId('stage-timeline').getAttribute('data-current')).toBe('0');

    // The charts update and their values change.
    const firstSummary = await lossSummary(page);
    await waitForPoints(page, 6);
    await page.waitForFunction(
      (before) =>
        document.querySelector('[data-chart="chart-loss"] [data-testid="chart-summary"]')
          ?.textContent !== before,
      firstSummary,
    );
    expect(await lossInk(page)).toBeGreaterThan(50);
    await session.screenshot('train-live');

    // Pause: it lands after the update in flight and nothing more arrives.
    await page.getByTestId('pause').click();
    await waitForState(page, 'paused');
    const t1 = await now(page);
    figures.updatesPerSecond = Number(
      await page.getByTestId('run-status').getAttribute('data-ups'),
    );
    const paused = await points(page);
    await page.waitForTimeout(1500);
    expect(await points(page)).toBe(paused);
    await session.screenshot('train-paused');

    // A single update: exactly one more point, then paused again.
    await page.getByTestId('single-update').click();
    await waitForPoints(page, paused + 1);
    await waitForState(page, 'paused');
    expect(await points(page)).toBe(paused + 1);

    // Resume trains on.
    const t2 = await now(page);
    await page.getByTestId('resume').click();
    await waitForState(page, 'running');
    await waitForPoints(page, paused + 4);
    await page.getByTestId('pause').click();
    await waitForState(page, 'paused');
    const t3 = await now(page);
    const stored = await points(page);

    const during = [
      ...(await longTasksBetween(page, t0, t1)),
      ...(await longTasksBetween(page, t2, t3)),
    ];
    figures.longTasksDuringTraining = during;
    figures.longestTaskMs = Math.max(0, ...during.map((t) => t.duration));
    const work = await page.evaluate(() => ({
      ...(window as TestWindow).__tracelab!.charts!.work,
    }));
    figures.chartWork = work;
    expect(work.jobs, 'chart redraws while training').toBeGreaterThan(0);
    expect(work.maxJobsPerSlice, 'redraws in one slice').toBeLessThanOrEqual(1);
    expect(work.maxPointsPerRedraw, 'points in one redraw').toBeLessThanOrEqual(
      2 * Math.max(16, work.maxWidth),
    );

    // Reload: the run is in the history with its metrics, and it resumes from its checkpoint.
    await page.reload();
    await page.getByRole('heading', { name: 'Train', level: 1 }).waitFor();
    const row = page.getByTestId('resumable-run');
    await row.waitFor({ timeout: 30_000 });
    expect(Number(await row.getAttribute('data-updates'))).toBe(stored);
    await session.screenshot('train-after-reload');

    await page.getByRole('link', { name: 'Runs' }).click();
    const runRow = page.getByTestId('run-row');
    await runRow.waitFor({ timeout: 30_000 });
    expect(Number(await runRow.getAttribute('data-updates'))).toBe(stored);
    await runRow.getByRole('button', { name: /Open run/ }).click();
    await page.getByTestId('opened-run').waitFor();
    await session.screenshot('runs-after-reload');

    await page.getByRole('link', { name: 'Train' }).click();
    await page
      .getByTestId('resumable-run')
      .getByRole('button', { name: /Resume run/ })
      .click();
    expect(await waitForPoints(page, stored)).toBeGreaterThanOrEqual(stored);
    await waitForPoints(page, stored + 2);
    // The stored curve continues: one record per update, none repeated.
    const updates = await page.evaluate(() => {
      const hook = (window as unknown as { __tracelab: { train: { state: TrainLike } } }).__tracelab
        .train.state;
      const { update, length } = hook.dashboard.columns;
      return Array.from(update.subarray(0, length));
    });
    expect(updates).toEqual(updates.map((_, i) => i + 1));
    await session.screenshot('train-resumed');

    await page.getByTestId('stop').click();
    await waitForState(page, 'stopped');
    expect(session.errors).toEqual([]);
  } finally {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'train-figures.json'), JSON.stringify(figures, null, 2));
    console.log('train figures', JSON.stringify(figures));
    await session.close();
  }
});

test('the shipped stage-0 checkpoint starts stage 1 at once, at a recorded rate', async () => {
  // The quick-demo preset on wasm (the backend a machine without a GPU trains on; training on
  // WebGPU is the test above): 'auto' starts at stage 1 from the shipped checkpoint. The
  // stage-1 rate in Chromium is recorded in test-artifacts/stage1-figures.json, not asserted:
  // it is wall clock.
  const shipped = decodeCheckpoint(readFileSync(join(ROOT, 'public', SHIPPED_STAGE0_URL)));
  const model = Object.entries(shipped.config)
    .map(([k, v]) => `model.${k}=${v}`)
    .join('&');
  const session = await openBrowser({ webgpu: false });
  const figures: Record<string, unknown> = {};
  try {
    const { page } = session;
    await openTrainPage(page, `${server.url}#/train?preset=quick-demo&run.backend=wasm&${model}`);
    await page.getByTestId('start').click();
    await page.getByTestId('plan-note').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('plan-note').textContent()).toMatch(
      /Stage 1 starts from the shipped stage-0 checkpoint/,
    );
    await waitForPoints(page, 1, 120_000);
    const timeline = page.getByTestId('stage-timeline');
    expect(await timeline.getAttribute('data-current')).toBe('1');
    expect(await timeline.locator('[data-stage="0"]').textContent()).toMatch(/skipped/);
    await session.screenshot('train-stage1-from-shipped');
    // Three more updates for the rate (the first paid the set-up).
    await waitForPoints(page, 4, 120_000);
    const status = page.getByTestId('run-status');
    figures.stage1UpdatesPerSecond = Number(await status.getAttribute('data-ups'));
    figures.status = (await status.textContent())?.replace(/\s+/g, ' ').trim();
    expect(await status.getAttribute('data-backend')).toBe('wasm');
    await page.getByTestId('stop').click();
    await waitForState(page, 'stopped', 120_000);
    expect(session.errors).toEqual([]);
  } finally {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'stage1-figures.json'), JSON.stringify(figures, null, 2));
    console.log('stage-1 figures', JSON.stringify(figures));
    await session.close();
  }
});

interface TrainLike {
  dashboard: { columns: { update: Float64Array; length: number } };
}
