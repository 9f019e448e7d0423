// embedding (overwrites) and embeddingBackward (accumulates, deterministic, no atomics):
// table(V,C), ids(N) i32, rows out/dout(N,C). The backward sorts positions by id on the
// device into a scratch buffer, then sums each table entry's rows.

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import { scratch } from './scratch';
import source from './embedding.wgsl?raw';

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
const backwardBindings = ['dtable', 'ids', 'dout', 'sorted'] as const;
const sortKernel = defineKernel({
  name: 'embeddingBackward',
  source,
  entryPoint: 'sortIds',
  bindings: backwardBindings,
  params,
});
const backwardKernel = defineKernel({
  name: 'embeddingBackward',
  source,
  entryPoint: 'backward',
  bindings: backwardBindings,
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

/** dtable[ids[n]] += dout(n), in order of n: sort positions by id, then one invocation per (v, c). */
export function embeddingBackward(
  rt: GpuRuntime,
  dtable: BufferSlice,
  dout: BufferSlice,
  ids: BufferSlice,
  N: number,
  V: number,
  C: number,
): void {
  const sorted = scratch(rt, 'embeddingBackward.sorted', (V + N) * 4);
  const bindings = { dtable, ids, dout, sorted };
  rt.dispatch(sortKernel, { bindings, params: { N, V, C }, workgroups: [1, 1, 1] });
  rt.dispatch(backwardKernel, {
    bindings,
    params: { N, V, C },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(V * C, ELEMENTWISE_WG),
  });
}
