// zero: out = 0 (f32 or i32, the same bits).

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './zero.wgsl?raw';

const kernel = defineKernel({ name: 'zero', source, bindings: ['out'], params: [['n', 'u32']] });

/** out(n) = 0 */
export function zero(rt: GpuRuntime, out: BufferSlice, n: number): void {
  rt.dispatch(kernel, {
    bindings: { out },
    params: { n },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}
