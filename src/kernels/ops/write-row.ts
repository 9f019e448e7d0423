// writeRow: dst(B,T,W)[b, pos, :] = src(B,W)[b, :] (row pos overwritten; pos is a uniform).

import type { WriteRowDims } from '../validate';
import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './write-row.wgsl?raw';

const kernel = defineKernel({
  name: 'writeRow',
  source,
  bindings: ['dst', 'src'],
  params: [
    ['B', 'u32'],
    ['T', 'u32'],
    ['W', 'u32'],
    ['pos', 'u32'],
  ],
});

export function writeRow(
  rt: GpuRuntime,
  dst: BufferSlice,
  src: BufferSlice,
  d: WriteRowDims,
): void {
  const { B, T, W, pos } = d;
  rt.dispatch(kernel, {
    bindings: { dst, src },
    params: { B, T, W, pos },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(B * W, ELEMENTWISE_WG),
  });
}
