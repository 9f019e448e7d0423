// gelu (tanh approximation), relu, tanh: forward overwrites, backward accumulates into dx.

import type { Activation } from '../backend';
import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './activation.wgsl?raw';

/** WGSL override KIND for each activation. */
const KIND: Record<Activation, number> = { gelu: 0, relu: 1, tanh: 2 };

const forwardKernel = defineKernel({
  name: 'activation',
  source,
  entryPoint: 'forward',
  bindings: ['out', 'x'],
  params: [['n', 'u32']],
});
const backwardKernel = defineKernel({
  name: 'activationBackward',
  source,
  entryPoint: 'backward',
  bindings: ['dx', 'x', 'dout'],
  params: [['n', 'u32']],
});

/** out(n) = f(x(n)) */
export function activation(
  rt: GpuRuntime,
  kind: Activation,
  out: BufferSlice,
  x: BufferSlice,
  n: number,
): void {
  rt.dispatch(forwardKernel, {
    bindings: { out, x },
    params: { n },
    constants: { WG: ELEMENTWISE_WG, KIND: KIND[kind] },
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}

/** dx(n) += f'(x(n)) · dout(n) */
export function activationBackward(
  rt: GpuRuntime,
  kind: Activation,
  dx: BufferSlice,
  x: BufferSlice,
  dout: BufferSlice,
  n: number,
): void {
  rt.dispatch(backwardKernel, {
    bindings: { dx, x, dout },
    params: { n },
    constants: { WG: ELEMENTWISE_WG, KIND: KIND[kind] },
    workgroups: grid1d(n, ELEMENTWISE_WG),
  });
}
