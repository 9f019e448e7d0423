// Builds only the kernel bench page (src/bench/index.html) into dist-bench/, apart from the app
// build (vite.config.ts). `vite-node src/bench/run.ts` serves that folder and drives it.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./src/bench'),
  base: './',
  publicDir: false,
  build: {
    target: 'es2022',
    outDir: here('./dist-bench'),
    emptyOutDir: true,
    // TF.js and onnxruntime-web are big; this page is a tool, not something we ship.
    chunkSizeWarningLimit: 4096,
  },
  preview: { host: '127.0.0.1' },
});
