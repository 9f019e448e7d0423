import { defineConfig } from 'vitest/config';

// Unit tests run in Node. GPU tests use the `webgpu` package (Dawn) on SwiftShader.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' },
  },
});
