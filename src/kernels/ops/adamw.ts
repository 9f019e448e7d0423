// adamw: one elementwise dispatch over flat pools; step-dependent bias corrections are
// per-dispatch uniforms, so a step records no pipeline or buffer changes.

import type { AdamWSettings } from '../backend';
import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './adamw.wgsl?raw';

const kernel = defineKernel({
  name: 'adamw',
  source,
  bindings: ['params', 'm', 'v', 'grads'],
  params: [
    ['n', 'u32'],
    ['lr', 'f32'],
    ['beta1', 'f32'],
    ['beta2', 'f32'],
    ['eps', 'f32'],
    ['weightDecay', 'f32'],
    ['c1', 'f32'],
    ['c2', 'f32'],
  ],
});

/** Update params, m, v (n) in place from grads (n). */
export function adamw(
  rt: GpuRuntime,
  params: BufferSlice,
  grads: BufferSlice,
  m: BufferSlice,
  v: BufferSlice,
  s: AdamWSettings,
  n: number,
): void {
  rt.dispatch(kernel, {
    bindings: { params, m, v, grads },
    params: {
      n,
      lr: s.lr,
      beta1: s.beta1,
      beta2: s.beta2,
      eps: s.eps,
      weightDecay: s.weightDecay,
      c1: 1 - Math.pow(s.beta1, s.step),
      c2: 1 - Math.pow(s.beta2, s.step),
    },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}
