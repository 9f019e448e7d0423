// Matmul autotune: a short timing at start-up picks the fastest matmul variant for this
// device, because what is fast on a real GPU (workgroup-memory tiles) is slow on a software
// one (SwiftShader) and the other way round. Results are cached per adapter in a pluggable
// store: in memory by default, localStorage in the browser.
//
// Timing is wall-clock around submit → onSubmittedWorkDone, best of up to three runs after a
// tiny warm-up product. A candidate far slower than the best so far gets no further runs, so
// slow variants cost one run each; on SwiftShader the whole tune takes about a second.

import { adapterKey, type BufferSlice, type GpuRuntime } from './runtime';
import { hashString } from '../rng';
import { MATMUL_VARIANTS, matmul, matmulVariant, type MatmulVariant } from './ops/matmul';
import type { MatmulDims } from './validate';

export interface TuneResult {
  /** The chosen variant's name. */
  variant: string;
  /** Best milliseconds per matmul for each candidate timed. */
  timings: Record<string, number>;
  /** GFLOP/s for each candidate (2·M·N·K / time). */
  gflops: Record<string, number>;
  /** The (M, N, K) timed. */
  shape: [number, number, number];
}

export interface TuneStore {
  get(key: string): TuneResult | undefined;
  set(key: string, result: TuneResult): void;
}

export class MemoryTuneStore implements TuneStore {
  private readonly map = new Map<string, TuneResult>();
  get(key: string): TuneResult | undefined {
    return this.map.get(key);
  }
  set(key: string, result: TuneResult): void {
    this.map.set(key, result);
  }
}

/** Survives reloads; a corrupt or foreign entry is ignored rather than trusted. */
export class LocalStorageTuneStore implements TuneStore {
  constructor(
    private readonly storage: Storage,
    private readonly prefix = 'tracelab.autotune.',
  ) {}
  get(key: string): TuneResult | undefined {
    try {
      const raw = this.storage.getItem(this.prefix + key);
      if (!raw) return undefined;
      const r = JSON.parse(raw) as TuneResult;
      return typeof r.variant === 'string' && MATMUL_VARIANTS.some((v) => v.name === r.variant)
        ? r
        : undefined;
    } catch {
      return undefined;
    }
  }
  set(key: string, result: TuneResult): void {
    try {
      this.storage.setItem(this.prefix + key, JSON.stringify(result));
    } catch {
      // Quota or privacy mode: tuning again next time is the only cost.
    }
  }
}

const processStore = new MemoryTuneStore();

/** localStorage where there is one (browser main thread), else a per-process memory store. */
export function defaultTuneStore(): TuneStore {
  const ls = (globalThis as { localStorage?: Storage }).localStorage;
  return ls ? new LocalStorageTuneStore(ls) : processStore;
}

/** Cache key: the adapter plus a hash of the kernels, so editing WGSL invalidates old results. */
export function tuneKey(rt: GpuRuntime): string {
  const sources = MATMUL_VARIANTS.map(
    (v) => v.name + JSON.stringify(v.constants) + v.kernel.source,
  );
  return `matmul:${hashString(sources.join('\n')).toString(16)}:${adapterKey(rt.info)}`;
}

/** The variant to use before (or without) tuning: register tiles on software adapters. */
export function defaultMatmulVariant(rt: GpuRuntime): MatmulVariant {
  return MATMUL_VARIANTS.find((v) => v.usesWorkgroupMemory !== rt.info.isFallbackAdapter)!;
}

/**
 * Timed by default. Software adapters skip tiled-16x4: SwiftShader takes over a second just to
 * compile it, and workgroup-memory kernels never win there anyway (one of that kind is still
 * timed, so the choice stays honest). Benchmarks can pass every variant.
 */
export function defaultCandidates(rt: GpuRuntime): MatmulVariant[] {
  const names = rt.info.isFallbackAdapter
    ? ['regtile-8x8', 'regtile-16x16', 'tiled-8x4']
    : ['regtile-8x8', 'regtile-16x16', 'tiled-16x4', 'tiled-8x4'];
  return names.map(matmulVariant);
}

export interface AutotuneOptions {
  store?: TuneStore;
  /** Variants to time; default defaultCandidates(rt). */
  candidates?: readonly MatmulVariant[];
  /** Square problem size timed; default 192. */
  size?: number;
  /** Ignore a cached result and time again. */
  force?: boolean;
}

/** Time each candidate on an n×n×n matmul and return (and cache) the fastest. */
export async function autotuneMatmul(
  rt: GpuRuntime,
  opts: AutotuneOptions = {},
): Promise<{ result: TuneResult; cached: boolean }> {
  const store = opts.store ?? defaultTuneStore();
  const key = tuneKey(rt);
  const hit = opts.force ? undefined : store.get(key);
  if (hit) return { result: hit, cached: true };

  const n = opts.size ?? 192;
  const candidates = opts.candidates ?? defaultCandidates(rt);
  const dims: MatmulDims = { batch: 1, M: n, N: n, K: n, bBatched: false };
  const warmDims: MatmulDims = { batch: 1, M: 8, N: 8, K: 8, bBatched: false };
  const bytes = n * n * 4;
  const slice = (bytes: number): BufferSlice => ({
    buf: rt.alloc(bytes).buf,
    byteOffset: 0,
    byteLength: bytes,
  });
  const [a, b, out] = [slice(bytes), slice(bytes), slice(bytes)];
  const data = new Float32Array(n * n);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 17) / 17 - 0.5;
  rt.write(a, data);
  rt.write(b, data);

  const timings: Record<string, number> = {};
  const gflops: Record<string, number> = {};
  let best = Infinity;
  try {
    for (const v of candidates) {
      await rt.prepare(v.kernel, {
        ...v.constants,
        TRANS_A: false,
        TRANS_B: false,
        ACCUMULATE: false,
      });
      // The first dispatch of a pipeline pays one-off costs (SwiftShader compiles it then):
      // pay them on a tiny product. A candidate 3× slower than the best is not timed again.
      await timeOnce(rt, v, out, a, b, warmDims);
      let ms = await timeOnce(rt, v, out, a, b, dims);
      for (let rep = 0; rep < 2 && ms < 3 * best; rep++) {
        ms = Math.min(ms, await timeOnce(rt, v, out, a, b, dims));
      }
      timings[v.name] = ms;
      gflops[v.name] = (2 * n * n * n) / (ms * 1e6);
      best = Math.min(best, ms);
    }
  } finally {
    for (const s of [a, b, out]) rt.free(s.buf);
  }
  const variant = Object.entries(timings).sort((x, y) => x[1] - y[1])[0][0];
  const result: TuneResult = { variant, timings, gflops, shape: [n, n, n] };
  store.set(key, result);
  return { result, cached: false };
}

async function timeOnce(
  rt: GpuRuntime,
  v: MatmulVariant,
  out: BufferSlice,
  a: BufferSlice,
  b: BufferSlice,
  dims: MatmulDims,
): Promise<number> {
  const t0 = performance.now();
  matmul(rt, v, out, a, b, dims);
  await rt.sync();
  return performance.now() - t0;
}
