// embedding (overwrites) and embeddingBackward (accumulates, deterministic, no atomics):
// table(V,C), ids(N) i32, rows out/dout(N,C).

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './embedding.wgsl?raw';

/** Backward: ids tested per tile and invocations per table row (64: see rowWorkgroupSize). */
const BACKWARD_WG = 64;

const params = [
  ['N', 'u32'],
  ['V', 'u32'],
  ['C', 'u32'],
] as const;

const forwardKernel = defineKernel({
  name: 'embedding',
  source,
  entryPoint: 'forward',
  bindings: ['out', 'ids', 'table'],
  params,
});
const backwardKernel = defineKernel({
  name: 'embeddingBackward',
  source,
  entryPoint: 'backward',
  bindings: ['dtable', 'ids', 'dout'],
  params,
});

/** out(N,C) = table(V,C)[ids[n]] */
export function embedding(
  rt: GpuRuntime,
  out: BufferSlice,
  ids: BufferSlice,
  table: BufferSlice,
  N: number,
  V: number,
  C: number,
): void {
  rt.dispatch(forwardKernel, {
    bindings: { out, ids, table },
    params: { N, V, C },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(N * C, ELEMENTWISE_WG),
  });
}

/** dtable[ids[n]] += dout(n), in order of n: one workgroup per table row. */
export function embeddingBackward(
  rt: GpuRuntime,
  dtable: BufferSlice,
  dout: BufferSlice,
  ids: BufferSlice,
  N: number,
  V: number,
  C: number,
): void {
  rt.dispatch(backwardKernel, {
    bindings: { dtable, ids, dout },
    params: { N, V, C },
    constants: { WG: BACKWARD_WG },
    workgroups: grid1d(V, 1),
  });
}
