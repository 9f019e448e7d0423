// crossEntropy (fused softmax + loss, one workgroup per row; one invocation per row on
// software adapters) and crossEntropyBackward (elementwise). Both overwrite.

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { ELEMENTWISE_WG } from './elementwise';
import { PER_ROW_WG, rowWorkgroupSize, withRowReduce } from './row-reduce';
import body from './cross-entropy.wgsl?raw';

const source = withRowReduce(body);

const params = [
  ['N', 'u32'],
  ['V', 'u32'],
] as const;

const forwardKernel = defineKernel({
  name: 'crossEntropy',
  source,
  entryPoint: 'forward',
  bindings: ['losses', 'probs', 'logits', 'targets'],
  params,
});
const forwardPerRowKernel = defineKernel({ ...forwardKernel, entryPoint: 'forwardPerRow' });
const backwardKernel = defineKernel({
  name: 'crossEntropyBackward',
  source,
  entryPoint: 'backward',
  bindings: ['dlogits', 'probs', 'dlosses', 'targets'],
  params,
});

/** probs(N,V) = softmax(logits); losses(N) = −log probs[n, targets[n]] (0 where ignored). */
export function crossEntropy(
  rt: GpuRuntime,
  losses: BufferSlice,
  probs: BufferSlice,
  logits: BufferSlice,
  targets: BufferSlice,
  N: number,
  V: number,
): void {
  const bindings = { losses, probs, logits, targets };
  if (rt.info.isFallbackAdapter) {
    rt.dispatch(forwardPerRowKernel, {
      bindings,
      params: { N, V },
      constants: { WG: PER_ROW_WG },
      workgroups: grid1d(N, PER_ROW_WG),
    });
    return;
  }
  rt.dispatch(forwardKernel, {
    bindings,
    params: { N, V },
    constants: { WG: rowWorkgroupSize(rt, V) },
    workgroups: grid1d(N, 1),
  });
}

/** dlogits(N,V) = (probs − onehot(target)) · dlosses(n); 0 on ignored rows. */
export function crossEntropyBackward(
  rt: GpuRuntime,
  dlogits: BufferSlice,
  probs: BufferSlice,
  targets: BufferSlice,
  dlosses: BufferSlice,
  N: number,
  V: number,
): void {
  rt.dispatch(backwardKernel, {
    bindings: { dlogits, probs, dlosses, targets },
    params: { N, V },
    constants: { WG: ELEMENTWISE_WG },
    workgroups: grid1d(N * V, ELEMENTWISE_WG),
  });
}
