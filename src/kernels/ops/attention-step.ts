// attentionStep (overwrites out): the attention output at one position `pos` of the KV cache
// qkv(B,T,3C), one workgroup per (sequence, head).

import { KernelError } from '../backend';
import type { AttentionStepDims } from '../validate';
import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { rowWorkgroupSize, withRowReduce } from './row-reduce';
import body from './attention-step.wgsl?raw';

const source = withRowReduce(body);

/**
 * Longest sequence the kernel takes: its scores (T floats) and the row-reduce scratch (256
 * floats) must fit WebGPU's guaranteed 16 KiB of workgroup storage.
 */
export const ATTENTION_STEP_MAX_T = 3072;

const params = [
  ['B', 'u32'],
  ['T', 'u32'],
  ['NH', 'u32'],
  ['HS', 'u32'],
  ['pos', 'u32'],
] as const;

const causalKernel = defineKernel({
  name: 'attentionStep',
  source,
  entryPoint: 'causal',
  bindings: ['out', 'qkv'],
  params,
});
const prefixedKernel = defineKernel({
  name: 'attentionStep',
  source,
  entryPoint: 'prefixed',
  bindings: ['out', 'qkv', 'prefixLen'],
  params,
});

/** out(B,C) = row pos of attention(qkv, prefixLen); prefixLen(B) i32, or null for causal. */
export function attentionStep(
  rt: GpuRuntime,
  out: BufferSlice,
  qkv: BufferSlice,
  prefixLen: BufferSlice | null,
  d: AttentionStepDims,
): void {
  const { B, T, NH, HS, pos } = d;
  if (T > ATTENTION_STEP_MAX_T) {
    throw new KernelError('attentionStep', `T=${T} exceeds ${ATTENTION_STEP_MAX_T} on WebGPU`);
  }
  // WG follows T (a constant of the model), not pos, so every step reuses one pipeline.
  const common = {
    params: { B, T, NH, HS, pos },
    constants: { WG: rowWorkgroupSize(rt, T), TMAX: T },
    workgroups: grid1d(B * NH, 1),
  };
  if (prefixLen) {
    rt.dispatch(prefixedKernel, { bindings: { out, qkv, prefixLen }, ...common });
  } else {
    rt.dispatch(causalKernel, { bindings: { out, qkv }, ...common });
  }
}
