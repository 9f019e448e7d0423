// reduce: sum, mean or max over the last dimension, one workgroup per row (overwrites).

import type { ReduceKind } from '../backend';
import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { SOFTWARE_ROW_WG } from './row-reduce';
import source from './reduce.wgsl?raw';

/** WGSL override KIND for each reduction. */
const KIND: Record<ReduceKind, number> = { sum: 0, mean: 1, max: 2 };

const MIN_ROW_WG = 32;
const MAX_ROW_WG = 256;

/**
 * Invocations for a workgroup that reduces one row of C elements: the power of two at or
 * above C, between 32 and 256, so short rows do not leave most of a workgroup idle; on
 * software adapters SOFTWARE_ROW_WG (see row-reduce.ts).
 */
export function rowWorkgroupSize(rt: GpuRuntime, C: number): number {
  if (rt.info.isFallbackAdapter) return SOFTWARE_ROW_WG;
  let wg = MIN_ROW_WG;
  while (wg < C && wg < MAX_ROW_WG) wg *= 2;
  return wg;
}

const kernel = defineKernel({
  name: 'reduce',
  source,
  bindings: ['out', 'x'],
  params: [
    ['R', 'u32'],
    ['C', 'u32'],
  ],
});

/** out(R) = sum | mean | max over c of x(R,C) */
export function reduce(
  rt: GpuRuntime,
  kind: ReduceKind,
  out: BufferSlice,
  x: BufferSlice,
  R: number,
  C: number,
): void {
  rt.dispatch(kernel, {
    bindings: { out, x },
    params: { R, C },
    constants: { WG: rowWorkgroupSize(rt, C), KIND: KIND[kind] },
    workgroups: grid1d(R, 1),
  });
}
