// biasAdd (overwrites) and biasBackward (accumulates) over rows x(R,C), bias(C).

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import { columnTile } from './row-reduce';
import source from './bias.wgsl?raw';

const addKernel = defineKernel({
  name: 'biasAdd',
  source,
  entryPoint: 'add',
  bindings: ['out', 'x', 'bias'],
  params: [
    ['R', 'u32'],
    ['C', 'u32'],
  ],
});
const backwardKernel = defineKernel({
  name: 'biasBackward',
  source,
  entryPoint: 'backward',
  bindings: ['dbias', 'dout'],
  params: [
    ['R', 'u32'],
    ['C', 'u32'],
  ],
});

/** out(R,C) = x(R,C) + bias(C) */
export function biasAdd(
  rt: GpuRuntime,
  out: BufferSlice,
  x: BufferSlice,
  bias: BufferSlice,
  R: number,
  C: number,
): void {
  rt.dispatch(addKernel, {
    bindings: { out, x, bias },
    params: { R, C },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(R * C, ELEMENTWISE_WG),
  });
}

/** dbias(C) += Σ_r dout(r,C) */
export function biasBackward(
  rt: GpuRuntime,
  dbias: BufferSlice,
  dout: BufferSlice,
  R: number,
  C: number,
): void {
  const tile = columnTile(rt);
  rt.dispatch(backwardKernel, {
    bindings: { dbias, dout },
    params: { R, C },
    constants: { ...tile },
    workgroups: [Math.ceil(C / tile.COLS), 1, 1],
  });
}
