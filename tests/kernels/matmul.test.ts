// Matmul and bias on WebGPU against the CPU reference, every case with each kind of variant
// forced explicitly; and the autotune that picks between variants.
import { describe, expect, it } from 'vitest';
import {
  autotuneMatmul,
  LocalStorageTuneStore,
  MemoryTuneStore,
  tuneKey,
} from '../../src/kernels/autotune';
import { cases as biasCases } from '../../src/kernels/cases/bias.cases';
import { cases as matmulCases } from '../../src/kernels/cases/matmul.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { MATMUL_VARIANTS, matmulVariant } from '../../src/kernels/ops/matmul';
import { WebGpuBackend } from '../../src/kernels/webgpu-backend';
import { expectParity, getGpuBackend, newGpuBackend } from './gpu';

const cpu = new CpuBackend();

describe.each(['regtile-8x8', 'tiled-16x4'])('matmul variant %s vs CPU', (variant) => {
  it.each(matmulCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const gpu = await getGpuBackend();
    gpu.setMatmulVariant(variant);
    await expectParity(gpu, cpu, c);
  });
});

describe('every matmul variant on odd sizes, transposes and accumulate', () => {
  const small = matmulCases.filter((c) => !c.name.includes('512'));
  it.each(MATMUL_VARIANTS.map((v) => v.name))('%s', async (variant) => {
    const gpu = await getGpuBackend();
    gpu.setMatmulVariant(variant);
    for (const c of small) await expectParity(gpu, cpu, c);
  });
});

describe('bias vs CPU', () => {
  it.each(biasCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

describe('autotune', () => {
  it('times each candidate, picks the fastest, and caches per adapter', async () => {
    const gpu = await getGpuBackend();
    const store = new MemoryTuneStore();
    const candidates = [matmulVariant('regtile-8x8'), matmulVariant('tiled-8x4')];
    const t0 = performance.now();
    const first = await autotuneMatmul(gpu.rt, { store, candidates, size: 128 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(first.cached).toBe(false);
    const { timings, variant } = first.result;
    expect(Object.keys(timings).sort()).toEqual(['regtile-8x8', 'tiled-8x4']);
    for (const ms of Object.values(timings)) expect(ms).toBeGreaterThan(0);
    expect(timings[variant]).toBe(Math.min(...Object.values(timings)));
    expect(first.result.gflops[variant]).toBeGreaterThan(0);

    const again = await autotuneMatmul(gpu.rt, { store, candidates, size: 128 });
    expect(again.cached).toBe(true);
    expect(again.result).toEqual(first.result);
    expect(store.get(tuneKey(gpu.rt))).toEqual(first.result);
  });

  // How long the start-up tune takes is a benchmark figure (npm run bench), not a test.
  it('WebGpuBackend.create tunes at start-up across both kinds of kernel', async () => {
    const be = await newGpuBackend();
    const choice = be.matmulChoice;
    expect(['autotune', 'cache']).toContain(choice.source);
    const timed = Object.keys(choice.tune!.timings).map(matmulVariant);
    expect(timed.some((v) => v.usesWorkgroupMemory)).toBe(true);
    expect(timed.some((v) => !v.usesWorkgroupMemory)).toBe(true);
    expect(choice.tune!.timings[choice.variant]).toBe(
      Math.min(...Object.values(choice.tune!.timings)),
    );
  });

  it('a backend uses the cached choice, and a forced variant overrides it', async () => {
    const gpu = await getGpuBackend();
    const store = new MemoryTuneStore();
    store.set(tuneKey(gpu.rt), {
      variant: 'tiled-16x2',
      timings: { 'tiled-16x2': 1 },
      gflops: { 'tiled-16x2': 1 },
      shape: [8, 8, 8],
    });
    const chosen = await new WebGpuBackend(gpu.rt.device, { tuneStore: store }).autotune();
    expect(chosen).toMatchObject({ variant: 'tiled-16x2', source: 'cache' });
    const forced = new WebGpuBackend(gpu.rt.device, {
      tuneStore: store,
      matmulVariant: 'regtile-16x4',
    });
    expect(forced.matmulChoice).toEqual({ variant: 'regtile-16x4', source: 'forced' });
    expect(() => forced.setMatmulVariant('nope')).toThrow(/unknown matmul variant 'nope'/);
  });

  it('the localStorage store round-trips and ignores foreign entries', () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    } as Storage;
    const store = new LocalStorageTuneStore(storage);
    const r = {
      variant: 'regtile-8x8',
      timings: { 'regtile-8x8': 2 },
      gflops: {},
      shape: [1, 1, 1] as [number, number, number],
    };
    store.set('k', r);
    expect(store.get('k')).toEqual(r);
    items.set('tracelab.autotune.bad', '{"variant":"gone"}');
    expect(store.get('bad')).toBeUndefined();
    items.set('tracelab.autotune.junk', 'not json');
    expect(store.get('junk')).toBeUndefined();
  });
});
