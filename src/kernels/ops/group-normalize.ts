// groupNormalize: GRPO advantages, one invocation per group of G samples (overwrites).

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import source from './group-normalize.wgsl?raw';

const WG = 64;

const kernel = defineKernel({
  name: 'groupNormalize',
  source,
  bindings: ['adv', 'rewards'],
  params: [
    ['groups', 'u32'],
    ['G', 'u32'],
    ['eps', 'f32'],
  ],
});

/** adv(N) = (rewards − group mean) / (group std + eps) over groups of G consecutive samples. */
export function groupNormalize(
  rt: GpuRuntime,
  adv: BufferSlice,
  rewards: BufferSlice,
  N: number,
  G: number,
  eps: number,
): void {
  const groups = N / G;
  rt.dispatch(kernel, {
    bindings: { adv, rewards },
    params: { groups, G, eps },
    constants: { WG },
    workgroups: grid1d(groups, WG),
  });
}
