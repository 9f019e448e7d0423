// gatherRows (overwrites) and gatherRowsBackward (accumulates): one entry per row of
// logp(N,V), picked by ids(N) i32; one invocation per row.

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './gather-rows.wgsl?raw';

const params = [
  ['N', 'u32'],
  ['V', 'u32'],
] as const;

const forwardKernel = defineKernel({
  name: 'gatherRows',
  source,
  entryPoint: 'forward',
  bindings: ['out', 'ids', 'logp'],
  params,
});
const backwardKernel = defineKernel({
  name: 'gatherRowsBackward',
  source,
  entryPoint: 'backward',
  bindings: ['dlogp', 'ids', 'dout'],
  params,
});

/** out(N) = logp(N,V)[n, ids[n]]; 0 where ids[n] < 0. */
export function gatherRows(
  rt: GpuRuntime,
  out: BufferSlice,
  logp: BufferSlice,
  ids: BufferSlice,
  N: number,
  V: number,
): void {
  rt.dispatch(forwardKernel, {
    bindings: { out, ids, logp },
    params: { N, V },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(N, ELEMENTWISE_WG),
  });
}

/** dlogp(n, ids[n]) += dout(n); nothing where ids[n] < 0. */
export function gatherRowsBackward(
  rt: GpuRuntime,
  dlogp: BufferSlice,
  dout: BufferSlice,
  ids: BufferSlice,
  N: number,
  V: number,
): void {
  rt.dispatch(backwardKernel, {
    bindings: { dlogp, ids, dout },
    params: { N, V },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(N, ELEMENTWISE_WG),
  });
}
