// grpoTokenLoss (overwrites loss and dlogp) and grpoTokenStats (overwrites kl and clipped):
// elementwise over N tokens. See grpo-token-loss.wgsl.

import type { GrpoTokens } from '../backend';
import type { GrpoLossDims } from '../validate';
import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import source from './grpo-token-loss.wgsl?raw';

const params = [
  ['N', 'u32'],
  ['clipEps', 'f32'],
  ['beta', 'f32'],
  ['invNormaliser', 'f32'],
] as const;
const inputs = ['logp', 'logpOld', 'logpRef', 'adv', 'mask'] as const;

const lossKernel = defineKernel({
  name: 'grpoTokenLoss',
  source,
  entryPoint: 'loss',
  bindings: ['loss', 'dlogp', ...inputs],
  params,
});
const statsKernel = defineKernel({
  name: 'grpoTokenStats',
  source,
  entryPoint: 'stats',
  bindings: ['kl', 'clipped', ...inputs],
  params,
});

export function grpoTokenLoss(
  rt: GpuRuntime,
  loss: BufferSlice,
  dlogp: BufferSlice,
  tokens: GrpoTokens<BufferSlice>,
  d: GrpoLossDims,
): void {
  const { N, clipEps, beta, normaliser } = d;
  rt.dispatch(lossKernel, {
    bindings: { loss, dlogp, ...tokens },
    params: { N, clipEps, beta, invNormaliser: 1 / normaliser },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(N, ELEMENTWISE_WG),
  });
}

export function grpoTokenStats(
  rt: GpuRuntime,
  kl: BufferSlice,
  clipped: BufferSlice,
  tokens: GrpoTokens<BufferSlice>,
  N: number,
  clipEps: number,
): void {
  rt.dispatch(statsKernel, {
    bindings: { kl, clipped, ...tokens },
    params: { N, clipEps, beta: 0, invNormaliser: 1 },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(N, ELEMENTWISE_WG),
  });
}
