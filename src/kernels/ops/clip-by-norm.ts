// clipByNorm: scale grads by min(1, maxNorm / (norm + 1e-6)) with the norm read on the GPU.

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './clip-by-norm.wgsl?raw';

const kernel = defineKernel({
  name: 'clipByNorm',
  source,
  bindings: ['grads', 'norm'],
  params: [
    ['n', 'u32'],
    ['maxNorm', 'f32'],
  ],
});

/** grads(n) *= min(1, maxNorm / (norm(1)[0] + 1e-6)) */
export function clipByNorm(
  rt: GpuRuntime,
  grads: BufferSlice,
  norm: BufferSlice,
  maxNorm: number,
  n: number,
): void {
  rt.dispatch(kernel, {
    bindings: { grads, norm },
    params: { n, maxNorm },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}
