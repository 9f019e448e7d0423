// Fused softmax + cross-entropy over token rows, CPU reference.
import { KernelError } from '../backend';
import type { TokenDims } from '../validate';
import type { In, Out } from './arrays';

export function checkTarget(op: string, target: number, n: number, V: number): void {
  if (!Number.isInteger(target) || target >= V || target < -1) {
    throw new KernelError(op, `targets[${n}] = ${target} must be −1 (ignored) or in [0,${V})`);
  }
}

/**
 * probs(N,V) = softmax(logits); losses(N) = −log probs[n, target], 0 where target is −1.
 * The loss is computed as logsumexp − logit, so it stays finite when the probability
 * underflows in f32.
 */
export function crossEntropyForward(
  losses: Out,
  probs: Out,
  logits: In,
  targets: In,
  d: TokenDims,
): void {
  const { N, V } = d;
  for (let n = 0; n < N; n++) {
    const o = n * V;
    const target = targets[n];
    checkTarget('crossEntropy', target, n, V);
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[o + v]);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[o + v] - max);
    for (let v = 0; v < V; v++) probs[o + v] = Math.exp(logits[o + v] - max) / sum;
    losses[n] = target < 0 ? 0 : max + Math.log(sum) - logits[o + target];
  }
}

/** dlogits(N,V) = (probs − onehot(target))·dlosses(n); 0 on ignored rows. Overwrites. */
export function crossEntropyBackward(
  dlogits: Out,
  probs: In,
  targets: In,
  dlosses: In,
  d: TokenDims,
): void {
  const { N, V } = d;
  for (let n = 0; n < N; n++) {
    const o = n * V;
    const target = targets[n];
    checkTarget('crossEntropyBackward', target, n, V);
    const g = target < 0 ? 0 : dlosses[n];
    for (let v = 0; v < V; v++) dlogits[o + v] = (probs[o + v] - (v === target ? 1 : 0)) * g;
  }
}
