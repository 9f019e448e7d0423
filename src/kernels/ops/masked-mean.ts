// maskedMean (overwrites out) and maskedMeanBackward (accumulates into dx), one workgroup
// per row.

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { rowWorkgroupSize } from './reduce';
import source from './masked-mean.wgsl?raw';

const params = [
  ['B', 'u32'],
  ['T', 'u32'],
] as const;

const forwardKernel = defineKernel({
  name: 'maskedMean',
  source,
  entryPoint: 'forward',
  bindings: ['dst', 'src', 'mask'],
  params,
});
const backwardKernel = defineKernel({
  name: 'maskedMeanBackward',
  source,
  entryPoint: 'backward',
  bindings: ['dst', 'src', 'mask'],
  params,
});

/** out(B) = Σ_t x(B,T)·mask(B,T) / max(1, Σ_t mask) */
export function maskedMean(
  rt: GpuRuntime,
  out: BufferSlice,
  x: BufferSlice,
  mask: BufferSlice,
  B: number,
  T: number,
): void {
  rt.dispatch(forwardKernel, {
    bindings: { dst: out, src: x, mask },
    params: { B, T },
    constants: { WG: rowWorkgroupSize(rt, T) },
    workgroups: grid1d(B, 1),
  });
}

/** dx(B,T) += dout(B)·mask(B,T) / max(1, Σ_t mask) */
export function maskedMeanBackward(
  rt: GpuRuntime,
  dx: BufferSlice,
  dout: BufferSlice,
  mask: BufferSlice,
  B: number,
  T: number,
): void {
  rt.dispatch(backwardKernel, {
    bindings: { dst: dx, src: dout, mask },
    params: { B, T },
    constants: { WG: rowWorkgroupSize(rt, T) },
    workgroups: grid1d(B, 1),
  });
}
