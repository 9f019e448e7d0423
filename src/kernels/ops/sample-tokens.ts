// sampleTokens (overwrites ids and logp): one token per row of logits with temperature and
// top-p from the caller's uniforms, one workgroup per row. See sample-tokens.wgsl.

import type { SampleDims } from '../validate';
import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import source from './sample-tokens.wgsl?raw';

const kernel = defineKernel({
  name: 'sampleTokens',
  source,
  bindings: ['ids', 'logp', 'logits', 'uniforms'],
  params: [
    ['B', 'u32'],
    ['V', 'u32'],
    ['greedy', 'u32'],
    ['temperature', 'f32'],
    ['topP', 'f32'],
  ],
});

export function sampleTokens(
  rt: GpuRuntime,
  ids: BufferSlice,
  logp: BufferSlice,
  logits: BufferSlice,
  uniforms: BufferSlice,
  d: SampleDims,
): void {
  const { B, V, temperature, topP } = d;
  const greedy = temperature === 0 ? 1 : 0;
  rt.dispatch(kernel, {
    bindings: { ids, logp, logits, uniforms },
    params: { B, V, greedy, temperature: greedy ? 1 : temperature, topP },
    // At most 64: the reductions read every partial serially. The top-p search assumes
    // several invocations, so software adapters get the GPU size too.
    constants: { WG: V <= 32 ? 32 : 64 },
    workgroups: grid1d(B, 1),
  });
}
