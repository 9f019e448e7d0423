// attention (overwrites out and att) and attentionBackward (accumulates dqkv; datt is
// scratch): causal multi-head self-attention with a bidirectional prefix, one invocation per
// (sequence, head, position) row. Heads of a multiple of 4 channels (up to 64) use the vec4
// entry points; others the scalar ones.

import type { AttentionDims } from '../validate';
import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import forwardSource from './attention.wgsl?raw';
import backwardSource from './attention-backward.wgsl?raw';

/** Invocations per workgroup (rows of B·NH·T). */
const WG = 64;

const params = [
  ['B', 'u32'],
  ['T', 'u32'],
  ['NH', 'u32'],
  ['HS', 'u32'],
] as const;

const causalKernel = defineKernel({
  name: 'attention',
  source: forwardSource,
  entryPoint: 'causal',
  bindings: ['out', 'att', 'qkv'],
  params,
});
const prefixedKernel = defineKernel({
  name: 'attention',
  source: forwardSource,
  entryPoint: 'prefixed',
  bindings: ['out', 'att', 'qkv', 'prefixLen'],
  params,
});
const causal4Kernel = defineKernel({ ...causalKernel, entryPoint: 'causal4' });
const prefixed4Kernel = defineKernel({ ...prefixedKernel, entryPoint: 'prefixed4' });
const backwardBindings = ['dqkv', 'datt', 'dout', 'qkv', 'att'] as const;
const queriesKernel = defineKernel({
  name: 'attentionBackward',
  source: backwardSource,
  entryPoint: 'queries',
  bindings: backwardBindings,
  params,
});
const keysKernel = defineKernel({
  name: 'attentionBackward',
  source: backwardSource,
  entryPoint: 'keys',
  bindings: backwardBindings,
  params,
});
const queries4Kernel = defineKernel({ ...queriesKernel, entryPoint: 'queries4' });
const keys4Kernel = defineKernel({ ...keysKernel, entryPoint: 'keys4' });

/** The vec4 entry points hold a head's vectors in private arrays of HS4_MAX vec4. */
const HS4_MAX = 16;

/** Heads whose size allows the vec4 entry points (C = NH·HS is then a multiple of 4 too). */
function useVec4(HS: number): boolean {
  return HS % 4 === 0 && HS <= 4 * HS4_MAX;
}

/** out(B,T,C), att(B,NH,T,T) from qkv(B,T,3C); prefixLen(B) i32, or null for pure causal. */
export function attention(
  rt: GpuRuntime,
  out: BufferSlice,
  att: BufferSlice,
  qkv: BufferSlice,
  prefixLen: BufferSlice | null,
  d: AttentionDims,
): void {
  const { B, T, NH, HS } = d;
  const common = {
    params: { B, T, NH, HS },
    constants: { WG },
    workgroups: grid1d(B * NH * T, WG),
  };
  const vec4 = useVec4(HS);
  if (prefixLen) {
    const kernel = vec4 ? prefixed4Kernel : prefixedKernel;
    rt.dispatch(kernel, { bindings: { out, att, qkv, prefixLen }, ...common });
  } else {
    rt.dispatch(vec4 ? causal4Kernel : causalKernel, { bindings: { out, att, qkv }, ...common });
  }
}

/** dqkv(B,T,3C) += the attention gradients; datt(B,NH,T,T) is overwritten as scratch. */
export function attentionBackward(
  rt: GpuRuntime,
  dqkv: BufferSlice,
  datt: BufferSlice,
  dout: BufferSlice,
  qkv: BufferSlice,
  att: BufferSlice,
  d: AttentionDims,
): void {
  const { B, T, NH, HS } = d;
  const common = {
    bindings: { dqkv, datt, dout, qkv, att },
    params: { B, T, NH, HS },
    constants: { WG },
    workgroups: grid1d(B * NH * T, WG),
  };
  // Queries first: keys reads the dpre rows it leaves in datt.
  const vec4 = useVec4(HS);
  rt.dispatch(vec4 ? queries4Kernel : queriesKernel, common);
  rt.dispatch(vec4 ? keys4Kernel : keysKernel, common);
}
