import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { CROSS_ORIGIN_ISOLATION } from './src/workers/sw/isolation';
import { LARGE_MODELS } from './src/workers/sw/large-models';

// The built app's Content-Security-Policy: scripts only from this origin and never eval
// ('wasm-unsafe-eval' lets onnxruntime-web compile its WebAssembly, nothing more), network
// only to this origin. Styles allow inline because Svelte and uPlot set style attributes.
// A <meta> tag carries it wherever dist/ is hosted; `vite preview` also sends it as a header,
// so the workers' scripts are held to it too. tests/e2e/csp.e2e.ts fails on any violation.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  // blob: for the wasm backend's thread workers (src/kernels/wasm/threads.ts builds their
  // script in the page; without it the pool never starts and training waits forever).
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

const cspMeta: Plugin = {
  name: 'tracelab-csp',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
      injectTo: 'head-prepend',
    },
  ],
};
/**
 * `vite preview` answers an address that is neither the app nor a built file with 404.html and
 * status 404, as a static host does (the app routes inside the hash, so no other path exists).
 */
function notFoundPage(): Plugin {
  return {
    name: 'tracelab-not-found',
    configurePreviewServer(server) {
      const dist = server.config.build.outDir;
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '/').split(/[?#]/)[0]);
        if (path === '/' || path.endsWith('/index.html') || existsSync(join(dist, path))) {
          return next();
        }
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(notFoundHtml(dist));
      });
    },
  };
}

function notFoundHtml(dist: string): string {
  return readFileSync(join(dist, '404.html'), 'utf8');
}

export default defineConfig({
  plugins: [
    cspMeta,
    svelte(),
    notFoundPage(),
    // Installable, offline and cross-origin isolated on any host: our service worker
    // (src/workers/sw.ts) precaches the built app (the worker bundles and WGSL are inside the
    // JS, ~5 MB with the stage-0 model), caches the onnxruntime .wasm build this browser loads
    // on first use (27-28 MB each, so a first visit stays small), adds COOP/COEP to what it
    // serves, and updates itself when a new build ships.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/workers',
      filename: 'sw.ts',
      registerType: 'autoUpdate',
      injectRegister: false,
      includeAssets: ['icons/icon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        name: 'TraceLab',
        short_name: 'TraceLab',
        description:
          'Train small anticipatory GUI agents in the browser with WebGPU and two-stage reinforcement learning.',
        theme_color: '#1f2a44',
        background_color: '#f6f7f9',
        display: 'standalone',
        start_url: '.',
        scope: '.',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,onnx,json,bin,txt}'],
        // 404.html is for addresses that are not the app; the app never shows it offline. The
        // large models are cached on first use instead (src/workers/sw.ts).
        globIgnores: ['404.html', ...LARGE_MODELS],
        // The shipped stage-0 model is larger than workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist' },
  server: { port: 5173, headers: CROSS_ORIGIN_ISOLATION },
  // `npm start` serves the build here and prints the URL.
  preview: {
    host: '127.0.0.1',
    port: 4173,
    headers: { ...CROSS_ORIGIN_ISOLATION, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
});
