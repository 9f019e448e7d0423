// copy: out = a, as raw 32-bit words (f32 or i32).

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './copy.wgsl?raw';

const kernel = defineKernel({
  name: 'copy',
  source,
  bindings: ['out', 'a'],
  params: [['n', 'u32']],
});

/** out(n) = a(n) */
export function copy(rt: GpuRuntime, out: BufferSlice, a: BufferSlice, n: number): void {
  rt.dispatch(kernel, {
    bindings: { out, a },
    params: { n },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}
