// The service worker (built by vite-plugin-pwa's injectManifest, which fills __WB_MANIFEST):
// installable and offline — every built file precached, the app shell for any in-app address,
// onnxruntime's .wasm builds (27–28 MB each) and the `small` stage-0 checkpoint (12 MB) cached
// on first use so a first visit stays small —
// and cross-origin isolated on any host: each response it serves carries COOP/COEP
// (sw/isolation.ts), so after it takes control the page and its workers get SharedArrayBuffer
// even where the server sends no such headers (src/ui/isolation.ts reloads the page once).
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import { isolationPlugin } from './sw/isolation';
import { LARGE_MODELS } from './sw/large-models';

declare const self: {
  __WB_MANIFEST: (PrecacheEntry | string)[];
  skipWaiting(): Promise<void>;
};

// A new build takes over at once, and the first visit is controlled without a reload.
void self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();

addPlugins([isolationPlugin]);
precacheAndRoute(self.__WB_MANIFEST);
// Any in-app address is the app; robots.txt, 404.html and other files typed into the address
// bar are files, not the app.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/\/[^/]+\.[a-z0-9]+$/i],
  }),
);
registerRoute(
  ({ url }) => url.pathname.endsWith('.wasm'),
  new CacheFirst({
    cacheName: 'tracelab-wasm',
    plugins: [
      // Hashed names: a new build's file is a new entry; keep the last two.
      new ExpirationPlugin({ maxEntries: 2 }),
      new CacheableResponsePlugin({ statuses: [200] }),
      isolationPlugin,
    ],
  }),
);
// The larger shipped checkpoints (vite.config.ts leaves them out of the precache): a teaching
// run needs its own once, then offline too.
registerRoute(
  ({ url }) => LARGE_MODELS.some((name) => url.pathname.endsWith(name)),
  new CacheFirst({
    cacheName: 'tracelab-models',
    plugins: [new CacheableResponsePlugin({ statuses: [200] }), isolationPlugin],
  }),
);
// The rest of this origin (files not precached, e.g. 404.html) from the network, isolated too.
registerRoute(({ sameOrigin }) => sameOrigin, new NetworkOnly({ plugins: [isolationPlugin] }));
