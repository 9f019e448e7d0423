// Cross-origin isolation on a plain static host: served by a server that sends no COOP/COEP
// headers, the built app is not isolated at first; once its service worker takes control (and
// the page reloads itself once), the page is cross-origin isolated, and the wasm backend in
// the trainer worker runs with threads, with no single-thread note.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openBrowser } from './harness';
import { startStaticServer, type StaticServer } from './static-server';

let server: StaticServer;

beforeAll(async () => {
  server = await startStaticServer();
});

afterAll(async () => {
  await server?.stop();
});

const TINY_WASM_RUN =
  '#/train?preset=ci-tiny&run.backend=wasm&run.sftUpdates=400&run.stage1Updates=2&run.checkpointEvery=0';

test('the service worker makes the page and its workers cross-origin isolated', async () => {
  const page0 = await fetch(server.url);
  expect(page0.headers.get('cross-origin-opener-policy')).toBeNull();
  expect(page0.headers.get('cross-origin-embedder-policy')).toBeNull();

  const session = await openBrowser({ webgpu: false });
  try {
    const { page } = session;
    await page.goto(`${server.url}?test${TINY_WASM_RUN}`);
    // The evaluation may meet the reload itself; then it is asked again.
    const isolated = () =>
      page
        .evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null)
        .catch(() => false);
    await expect.poll(isolated, { timeout: 120_000 }).toBe(true);
    expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');

    // The trainer worker is isolated too: the wasm backend starts its threads.
    await page.getByRole('heading', { name: 'Train', level: 1 }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Start at').selectOption('0');
    await page.getByTestId('start').click();
    const choice = page.getByTestId('backend-choice');
    await choice.waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('run-status').getAttribute('data-backend')).toBe('wasm');
    expect((await choice.textContent()) ?? '').toMatch(/WebAssembly SIMD, \d+ threads/);
    expect(await page.getByTestId('backend-note').count()).toBe(0);
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});
