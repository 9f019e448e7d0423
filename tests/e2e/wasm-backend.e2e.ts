// The WebAssembly backend in real Chromium: the Train page with run.backend=auto times a
// planner step on wasm and on the software GPU, shows both timings and trains on the one it
// picked; with run.backend=wasm in a cross-origin-isolated page (vite preview sends COOP and
// COEP) it trains on wasm with threads. Figures go to test-artifacts/wasm-backend.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, openBrowser, startPreview, type PreviewServer } from './harness';

let server: PreviewServer;

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
});

const run = (backend: string) =>
  `#/train?preset=ci-tiny&run.backend=${backend}&run.sftUpdates=400&run.stage1Updates=2&run.checkpointEvery=0`;

async function startStage0(page: Page, backend: string): Promise<void> {
  await page.goto(`${server.url}?test${run(backend)}`);
  await page.getByRole('heading', { name: 'Train', level: 1 }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Start at').selectOption('0');
  await page.getByTestId('start').click();
  // The run starts once the backend is chosen; then at least one update lands on it.
  await page.getByTestId('backend-choice').waitFor({ timeout: 180_000 });
  await page.waitForFunction(
    () =>
      Number(document.querySelector('[data-testid="live-run"]')?.getAttribute('data-points')) >= 1,
    undefined,
    { timeout: 180_000 },
  );
}

test('auto times wasm and the software GPU, shows both, and trains on its pick', async () => {
  const session = await openBrowser({ webgpu: true });
  try {
    const { page } = session;
    await startStage0(page, 'auto');
    const choice = page.getByTestId('backend-choice');
    await choice.waitFor();
    const chosen = await choice.getAttribute('data-chosen');
    expect(await page.getByTestId('run-status').getAttribute('data-backend')).toBe(chosen);
    const text = (await choice.textContent()) ?? '';
    expect(text).toMatch(/WebAssembly: [\d.]+ ms per step/);
    expect(text).toMatch(/WebGPU: [\d.]+ ms per step/);
    const ms = (name: string) => Number(new RegExp(`${name}: ([\\d.]+) ms`).exec(text)![1]);
    expect(chosen).toBe(ms('WebAssembly') <= ms('WebGPU') ? 'wasm' : 'webgpu');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(
      join(ARTIFACTS, 'wasm-backend.json'),
      JSON.stringify({ chosen, wasmMs: ms('WebAssembly'), webgpuMs: ms('WebGPU') }, null, 2) + '\n',
    );
    await session.screenshot('train-auto-backend');
  } finally {
    await session.close();
  }
});

test('wasm trains with threads in the cross-origin-isolated page', async () => {
  const session = await openBrowser({ webgpu: false });
  try {
    const { page } = session;
    await startStage0(page, 'wasm');
    expect(await page.getByTestId('run-status').getAttribute('data-backend')).toBe('wasm');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect((await page.getByTestId('backend-choice').textContent()) ?? '').toMatch(
      /WebAssembly SIMD, \d+ threads/,
    );
    expect(await page.getByTestId('backend-note').count()).toBe(0);
  } finally {
    await session.close();
  }
});
