// Shared WebGPU backend for the tests of one file. No adapter is a failure, never a skip:
// getGpuBackend() rejects with the node backend's explanation (VK_ICD_FILENAMES, libvulkan1).
// Test files share a process (vitest.config.ts: isolate off), so this module outlives a file:
// tests/setup.ts releases the file's devices after its tests, and the next file starts afresh.
import { expect } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { createNodeBackend, type NodeBackendOptions } from '../../src/kernels/node';
import { maxRelativeError, type OpCase } from '../../src/kernels/selftest';
import type { WebGpuBackend } from '../../src/kernels/webgpu-backend';
import { Rng } from '../../src/rng';

/** Fixed variant for tests that are not about matmul tuning: no start-up timing. */
export const TEST_MATMUL_VARIANT = 'regtile-8x8';

let shared: Promise<WebGpuBackend> | null = null;
const created: Promise<WebGpuBackend>[] = [];

/** The file's shared backend (created on first call). */
export function getGpuBackend(): Promise<WebGpuBackend> {
  shared ??= newGpuBackend({ matmulVariant: TEST_MATMUL_VARIANT });
  return shared;
}

/** A separate backend (e.g. one whose device a test destroys); also released after the file. */
export function newGpuBackend(opts: NodeBackendOptions = {}): Promise<WebGpuBackend> {
  const p = createNodeBackend(opts);
  created.push(p);
  return p;
}

/** Destroy every backend this file created; the next getGpuBackend() makes a new one. */
export async function releaseGpuBackends(): Promise<void> {
  shared = null;
  for (const p of created.splice(0)) {
    const be = await p.catch(() => null);
    be?.destroy();
  }
}

/** Run a case on both backends with the same seed and expect the outputs to agree. */
export async function expectParity(
  gpu: Backend,
  cpu: Backend,
  c: OpCase,
  seed = 1234,
): Promise<void> {
  const got = await c.run(gpu, new Rng(seed));
  const want = await c.run(cpu, new Rng(seed));
  expect(got.length, c.name).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = maxRelativeError(got[i], want[i]);
    expect(err, `${c.name}: output ${i} max relative error`).toBeLessThanOrEqual(
      c.tolerance ?? 1e-4,
    );
  }
}
