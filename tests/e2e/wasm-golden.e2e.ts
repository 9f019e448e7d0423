// The wasm golden test in real Chromium (issue 16 item 5): tests/e2e/golden/golden.ts trains
// the planner for a few updates on the CPU reference and on wasm with one and two threads,
// inside a cross-origin-isolated page served by Vite's dev server; the losses must agree with
// the CPU reference's to the same tolerance as the Node golden test
// (tests/rl/model-golden.test.ts) and fall. The losses go to test-artifacts/wasm-golden.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GoldenOutcome } from './golden/golden';
import { ARTIFACTS, openBrowser } from './harness';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Relative loss difference allowed per update (as the Node golden test). */
const LOSS_TOL = 1e-3;

let server: ViteDevServer;
let url: string;

beforeAll(async () => {
  server = await createServer({
    configFile: false,
    root: join(ROOT, 'tests/e2e/golden'),
    logLevel: 'error',
    server: {
      host: '127.0.0.1',
      port: 0,
      fs: { allow: [ROOT] },
      // Cross-origin isolation, so the page has SharedArrayBuffer and wasm threads.
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
    },
  });
  await server.listen();
  url = server.resolvedUrls!.local[0];
});

afterAll(async () => {
  await server?.close();
});

test('wasm on one and two threads reproduces the CPU reference losses in Chromium', async () => {
  const session = await openBrowser({ webgpu: false });
  try {
    const { page } = session;
    await page.goto(url);
    await page.waitForFunction(
      () => {
        const w = window as unknown as { golden?: unknown; goldenError?: string };
        return w.golden !== undefined || w.goldenError !== undefined;
      },
      undefined,
      { timeout: 170_000 },
    );
    const { golden, goldenError } = await page.evaluate(() => {
      const w = window as unknown as { golden?: GoldenOutcome; goldenError?: string };
      return { golden: w.golden, goldenError: w.goldenError };
    });
    expect(goldenError).toBeUndefined();
    const { runs } = golden!;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'wasm-golden.json'), JSON.stringify(golden, null, 2) + '\n');
    expect(golden!.crossOriginIsolated).toBe(true);
    expect(runs.wasm.description).toBe('WebAssembly SIMD, 1 thread');
    expect(runs.wasm2.description).toBe('WebAssembly SIMD, 2 threads');
    const cpu = runs.cpu.losses;
    expect(cpu[0]).toBeGreaterThan(1);
    expect(cpu[cpu.length - 1]).toBeLessThan(cpu[0]);
    for (const kind of ['wasm', 'wasm2'] as const) {
      const got = runs[kind].losses;
      expect(got).toHaveLength(cpu.length);
      got.forEach((loss, s) =>
        expect(Math.abs(loss - cpu[s]), `${kind} update ${s}`).toBeLessThanOrEqual(
          LOSS_TOL * cpu[s],
        ),
      );
    }
    expect(session.errors).toEqual([]);
  } finally {
    await session.close();
  }
});
