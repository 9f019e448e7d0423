// discountedSum: Σ_t γ^t·rewards(B,H)[t] per row, one invocation per row (overwrites).

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import source from './discounted-sum.wgsl?raw';

const WG = 64;

const kernel = defineKernel({
  name: 'discountedSum',
  source,
  bindings: ['out', 'rewards'],
  params: [
    ['B', 'u32'],
    ['H', 'u32'],
    ['gamma', 'f32'],
  ],
});

/** out(B) = Σ_t γ^t · rewards(B,H)[t] */
export function discountedSum(
  rt: GpuRuntime,
  out: BufferSlice,
  rewards: BufferSlice,
  gamma: number,
  B: number,
  H: number,
): void {
  rt.dispatch(kernel, {
    bindings: { out, rewards },
    params: { B, H, gamma },
    constants: { WG },
    workgroups: grid1d(B, WG),
  });
}
