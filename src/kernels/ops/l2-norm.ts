// l2Norm: out(1) = √(Σ x²) over a whole tensor, in two dispatches through a scratch buffer
// of per-workgroup partial sums (the caller owns it: MAX_PARTIALS f32).

import { defineKernel, type BufferSlice, type GpuRuntime } from '../runtime';
import { SOFTWARE_ROW_WG } from './row-reduce';
import source from './l2-norm.wgsl?raw';

/** Invocations per workgroup: 256 on a GPU; one on software adapters (no barrier cost). */
function workgroupSize(rt: GpuRuntime): number {
  return rt.info.isFallbackAdapter ? SOFTWARE_ROW_WG : 256;
}
/** Workgroups in the first pass, and so the f32 entries of the scratch buffer. */
export const MAX_PARTIALS = 256;

const kernel = defineKernel({
  name: 'l2Norm',
  source,
  bindings: ['dst', 'src'],
  params: [['n', 'u32']],
});

/** out(1) = √(Σ_i x(n)[i]²); partials holds MAX_PARTIALS f32 of scratch. */
export function l2Norm(
  rt: GpuRuntime,
  out: BufferSlice,
  x: BufferSlice,
  partials: BufferSlice,
  n: number,
): void {
  const WG = workgroupSize(rt);
  const P = Math.min(MAX_PARTIALS, Math.ceil(n / WG));
  rt.dispatch(kernel, {
    bindings: { dst: partials, src: x },
    params: { n },
    constants: { WG, FINAL: false },
    workgroups: [P, 1, 1],
  });
  rt.dispatch(kernel, {
    bindings: { dst: out, src: partials },
    params: { n: P },
    constants: { WG, FINAL: true },
    workgroups: [1, 1, 1],
  });
}
