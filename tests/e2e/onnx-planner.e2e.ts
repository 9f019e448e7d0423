// The planner travels as ONNX and plays in the Agent viewer: in Chromium, the viewer plays
// settings.wifi with the shipped checkpoint on our own backend, exports those weights as a
// planner ONNX file (a real download), refuses a file that is not one (saying why, keeping
// the planner in use), imports the exported file and plays the same task and seed with it in
// onnxruntime-web: the first step's forecast and executed step equal our own forward's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, startPreview, type PreviewServer } from './harness';

const PLAY_TIMEOUT = 150_000;
let server: PreviewServer;
const dir = mkdtempSync(join(tmpdir(), 'tracelab-onnx-'));

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits for an episode played by `kind` weights; returns its first step as shown. */
async function firstStep(page: Page, kind: string) {
  const pane = page.locator(`[data-testid="agent-anticipatory"][data-weights="${kind}"]`);
  await pane.waitFor({ timeout: PLAY_TIMEOUT });
  await expect
    .poll(() => page.getByTestId('agent-position').textContent(), { timeout: PLAY_TIMEOUT })
    .toMatch(/step 1 of \d+/);
  const text = async (id: string) =>
    ((await page.getByTestId(id).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  return {
    forecast: await text('agent-anticipatory-forecast'),
    executed: await text('agent-anticipatory-executed'),
  };
}

test('export the planner as ONNX, refuse a wrong file, play an episode with the file', async () => {
  const session = await openBrowser({
    webgpu: false,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const { page } = session;
    await page.goto(`${server.url}#/agent`);
    await page.getByRole('heading', { name: 'Agent viewer' }).waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.getByTestId('weights-info').textContent(), { timeout: PLAY_TIMEOUT })
      .toMatch(/shipped stage-0 checkpoint · H = \d+/);
    await page.getByLabel('App').selectOption('settings');
    await page.getByLabel('Task template').selectOption('settings.wifi');
    const ours = await firstStep(page, 'shipped');
    expect(ours.forecast.length).toBeGreaterThan(0);
    expect(ours.executed).toMatch(/Executed|Not executed/);

    // Export: a download of a planner ONNX file.
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: PLAY_TIMEOUT }),
      page.getByTestId('weights-export-onnx').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^tracelab-shipped-stage-0-checkpoint\.onnx$/);
    const exported = join(dir, 'planner.onnx');
    await download.saveAs(exported);
    expect(readFileSync(exported).subarray(0, 200).toString('latin1')).toMatch(/tracelab/);

    // A wrong file is refused with its reason; the planner in use stays.
    const wrong = join(dir, 'notes.onnx');
    writeFileSync(wrong, '{"format":"tracelab-run"}');
    await page.getByTestId('weights-import-onnx').setInputFiles(wrong);
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/notes\.onnx: is not an ONNX model.*unchanged/);
    expect(await page.getByTestId('weights-info').textContent()).toMatch(/shipped stage-0/);

    // Import the exported file: the same task and seed, played in onnxruntime-web.
    await page.getByTestId('weights-import-onnx').setInputFiles(exported);
    await expect
      .poll(
        async () => (await page.getByTestId('weights-info').textContent())?.replace(/\s+/g, ' '),
        {
          timeout: PLAY_TIMEOUT,
        },
      )
      .toMatch(
        /ONNX planner “planner\.onnx” \(onnxruntime-web\) · H = \d+ .*onnxruntime-web \(wasm\)/,
      );
    const theirs = await firstStep(page, 'onnx');
    console.log(`first step, our forward: ${ours.forecast} / ${ours.executed}`);
    console.log(`first step, ONNX planner: ${theirs.forecast} / ${theirs.executed}`);
    expect(theirs).toEqual(ours);
    expect(await page.getByRole('alert').count()).toBe(0);
    await session.screenshot('viewer-agent-onnx');
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});
