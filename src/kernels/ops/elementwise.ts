// add, mul, scale: one WGSL module, one entry point each.

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import source from './elementwise.wgsl?raw';

/** Invocations per workgroup for the 1-D elementwise kernels (WGSL override WG). */
export const ELEMENTWISE_WG = 256;
const constants = { WG: ELEMENTWISE_WG };

const addKernel = defineKernel({
  name: 'add',
  source,
  entryPoint: 'add',
  bindings: ['out', 'a', 'b'],
  params: [['n', 'u32']],
});
const mulKernel = defineKernel({
  name: 'mul',
  source,
  entryPoint: 'mul',
  bindings: ['out', 'a', 'b'],
  params: [['n', 'u32']],
});
const scaleKernel = defineKernel({
  name: 'scale',
  source,
  entryPoint: 'scale',
  bindings: ['out', 'a'],
  params: [
    ['n', 'u32'],
    ['s', 'f32'],
  ],
});

/** out(n) = a(n) + b(n) */
export function add(
  rt: GpuRuntime,
  out: BufferSlice,
  a: BufferSlice,
  b: BufferSlice,
  n: number,
): void {
  rt.dispatch(addKernel, {
    bindings: { out, a, b },
    params: { n },
    constants,
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}

/** out(n) = a(n) · b(n) */
export function mul(
  rt: GpuRuntime,
  out: BufferSlice,
  a: BufferSlice,
  b: BufferSlice,
  n: number,
): void {
  rt.dispatch(mulKernel, {
    bindings: { out, a, b },
    params: { n },
    constants,
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}

/** out(n) = s · a(n) */
export function scale(
  rt: GpuRuntime,
  out: BufferSlice,
  a: BufferSlice,
  s: number,
  n: number,
): void {
  rt.dispatch(scaleKernel, {
    bindings: { out, a },
    params: { n, s },
    constants,
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}
