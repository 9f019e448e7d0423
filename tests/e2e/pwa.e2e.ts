// The app installs and works offline: the manifest names TraceLab and its icons load, the
// service worker takes control, and a reload with the network cut still shows the app.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openBrowser, startPreview, type PreviewServer } from './harness';

let server: PreviewServer;

beforeAll(async () => {
  server = await startPreview();
});

afterAll(async () => {
  await server?.stop();
});

test('has an installable manifest and reloads offline from the service worker', async () => {
  const session = await openBrowser({ webgpu: true });
  try {
    const { page, context } = session;
    await page.goto(`${server.url}#/selftest`);

    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifestHref).toBeTruthy();
    const manifestUrl = new URL(manifestHref!, server.url).href;
    const manifest = await (await fetch(manifestUrl)).json();
    expect(manifest.name).toBe('TraceLab');
    expect(manifest.display).toBe('standalone');
    const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));

    // The page is controlled once the service worker has installed and claimed it.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 60_000,
    });

    // Cut the network and stop the server too: whatever loads now comes from the precache.
    await context.setOffline(true);
    await server.stop();
    await page.reload();
    await page.getByRole('heading', { name: 'Kernel self-test' }).waitFor({ timeout: 30_000 });
    // Icons come from the precache too, while offline.
    for (const icon of manifest.icons as { src: string }[]) {
      const ok = await page.evaluate(
        async (src) => (await fetch(src)).ok,
        new URL(icon.src, manifestUrl).href,
      );
      expect(ok, icon.src).toBe(true);
    }
    await session.screenshot('pwa-offline');
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});
