import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Unit tests run in Node. GPU tests use the `webgpu` package (Dawn) on SwiftShader.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // One test file per core. Vitest's default keeps a core free for itself (cores − 1), which
    // on the 2-core CI machine ran the files one at a time; the main process only collects
    // results, so it needs no core of its own.
    maxWorkers: availableParallelism(),
    // Files run one after another in each worker's process instead of a fresh process each:
    // the sources, the wasm kernels and Dawn load once per worker, not once per file (a
    // quarter of the suite's time). Module state a file leaves behind must not matter;
    // tests/setup.ts releases the WebGPU devices after every file.
    isolate: false,
    setupFiles: ['tests/setup.ts'],
    // A guard against a hung test, not a speed check: learning tests bound their work in
    // updates, and on a shared 2-core machine the same work can take several times longer.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    env: { VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' },
  },
});
