// The app installs and works offline, and a first visit stays small: the manifest names
// TraceLab and its icons load; through a byte-counting proxy, the first visit (page, workers
// and the service worker's precache) transfers at most 15 MB — onnxruntime's 27 MB .wasm is
// cached on first use, not up front; robots.txt and the 404 page are real files. With the
// network cut and the server stopped, a reload still shows the app and trains a tiny run.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCountingProxy, type CountingProxy } from './counting-proxy';
import { ARTIFACTS, openBrowser, startPreview, type PreviewServer } from './harness';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIRST_VISIT_LIMIT = 15 * 1000 * 1000;

let server: PreviewServer;
let proxy: CountingProxy;

beforeAll(async () => {
  server = await startPreview();
  proxy = await startCountingProxy(server.url);
});

afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

test('robots.txt and the 404 page are real files', async () => {
  const robots = await fetch(new URL('robots.txt', server.url));
  expect(robots.status).toBe(200);
  expect(robots.headers.get('content-type')).toMatch(/text\/plain/);
  expect(await robots.text()).toMatch(/^User-agent: \*/m);
  const missing = await fetch(new URL('no/such/page', server.url));
  expect(missing.status).toBe(404);
  expect(await missing.text()).toMatch(/Page not found/);
});

test('first visit transfers at most 15 MB, then the app reloads and trains offline', async () => {
  const session = await openBrowser({ webgpu: true });
  try {
    const { page, context } = session;
    await page.goto(proxy.url);
    await page.getByTestId('start').waitFor({ timeout: 30_000 });

    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifestHref).toBeTruthy();
    const manifestUrl = new URL(manifestHref!, proxy.url).href;
    const manifest = await (await fetch(manifestUrl)).json();
    expect(manifest.name).toBe('TraceLab');
    expect(manifest.display).toBe('standalone');
    const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));

    // Controlled once the service worker has installed (precache complete) and claimed the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 60_000,
    });
    await page.waitForLoadState('networkidle');
    const transferred = proxy.bytes();
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(
      join(ARTIFACTS, 'pwa-first-visit.json'),
      JSON.stringify(
        {
          bytes: transferred,
          byPath: Object.fromEntries([...proxy.byPath()].sort((a, b) => b[1] - a[1])),
        },
        null,
        2,
      ),
    );
    expect(transferred).toBeLessThanOrEqual(FIRST_VISIT_LIMIT);
    expect([...proxy.byPath().keys()].some((p) => p.endsWith('.wasm'))).toBe(false);

    // Cut the network and stop the servers: whatever loads now comes from the precache.
    await context.setOffline(true);
    await proxy.stop();
    await server.stop();
    await page.goto(`${proxy.url}#/train?preset=ci-tiny&run.sftUpdates=3&run.stage1Updates=0`);
    await page.getByRole('heading', { name: 'Train', level: 1 }).waitFor({ timeout: 30_000 });
    // Icons come from the precache too, while offline.
    for (const icon of manifest.icons as { src: string }[]) {
      const ok = await page.evaluate(
        async (src) => (await fetch(src)).ok,
        new URL(icon.src, manifestUrl).href,
      );
      expect(ok, icon.src).toBe(true);
    }
    // Training works offline: the trainer worker, vocabulary and models are precached.
    await page.getByTestId('start').click();
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="live-run"]')?.getAttribute('data-points')) > 0,
      undefined,
      { timeout: 120_000 },
    );
    await page.getByRole('link', { name: 'Self-test' }).click();
    await page.getByRole('heading', { name: 'Kernel self-test' }).waitFor({ timeout: 30_000 });
    await session.screenshot('pwa-offline');
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});
