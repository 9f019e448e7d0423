// softmax, logSoftmax and their backwards over rows of width C: one workgroup per row.
// All overwrite.

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { rowWorkgroupSize, withRowReduce } from './row-reduce';
import body from './softmax.wgsl?raw';

const source = withRowReduce(body);

const params = [
  ['R', 'u32'],
  ['C', 'u32'],
] as const;

export type SoftmaxKind = 'softmax' | 'logSoftmax';

const forwardKernels = {
  softmax: defineKernel({
    name: 'softmax',
    source,
    entryPoint: 'softmax',
    bindings: ['out', 'x'],
    params,
  }),
  logSoftmax: defineKernel({
    name: 'logSoftmax',
    source,
    entryPoint: 'logSoftmax',
    bindings: ['out', 'x'],
    params,
  }),
};
const backwardKernels = {
  softmax: defineKernel({
    name: 'softmaxBackward',
    source,
    entryPoint: 'softmaxBackward',
    bindings: ['dx', 'y', 'dy'],
    params,
  }),
  logSoftmax: defineKernel({
    name: 'logSoftmaxBackward',
    source,
    entryPoint: 'logSoftmaxBackward',
    bindings: ['dx', 'y', 'dy'],
    params,
  }),
};

/** out(R,C) = softmax or log-softmax of each row of x(R,C). */
export function softmaxForward(
  rt: GpuRuntime,
  kind: SoftmaxKind,
  out: BufferSlice,
  x: BufferSlice,
  R: number,
  C: number,
): void {
  rt.dispatch(forwardKernels[kind], {
    bindings: { out, x },
    params: { R, C },
    constants: { WG: rowWorkgroupSize(rt, C) },
    workgroups: grid1d(R, 1),
  });
}

/** dx(R,C) = the row gradient through softmax or log-softmax, from its output y. */
export function softmaxBackward(
  rt: GpuRuntime,
  kind: SoftmaxKind,
  dx: BufferSlice,
  y: BufferSlice,
  dy: BufferSlice,
  R: number,
  C: number,
): void {
  rt.dispatch(backwardKernels[kind], {
    bindings: { dx, y, dy },
    params: { R, C },
    constants: { WG: rowWorkgroupSize(rt, C) },
    workgroups: grid1d(R, 1),
  });
}
