// Fused softmax + cross-entropy over token rows (src/kernels/cpu/loss.ts). Targets are
// range-checked in JS before the call.
import { expShifted, rowMax, scaleRow } from './simd';

/** probs(N,V) = softmax(logits); losses(N) = logsumexp − logit[target], 0 where target < 0. */
export function crossEntropyForward(
  losses: usize,
  probs: usize,
  logits: usize,
  targets: usize,
  N: i32,
  V: i32,
): void {
  for (let n = 0; n < N; n++) {
    const o = (<usize>(n * V)) << 2;
    const mx = rowMax(logits + o, V);
    const sum = expShifted(probs + o, logits + o, mx, V);
    scaleRow(probs + o, <f32>(1 / sum), V);
    const target = load<i32>(targets + ((<usize>n) << 2));
    const loss: f64 =
      target < 0
        ? 0
        : <f64>mx + Math.log(sum) - <f64>load<f32>(logits + o + ((<usize>target) << 2));
    store<f32>(losses + ((<usize>n) << 2), <f32>loss);
  }
}

/** dlogits(N,V) = (probs − onehot(target))·dlosses(n); 0 on ignored rows. Overwrites. */
export function crossEntropyBackward(
  dlogits: usize,
  probs: usize,
  targets: usize,
  dlosses: usize,
  N: i32,
  V: i32,
): void {
  for (let n = 0; n < N; n++) {
    const o = (<usize>(n * V)) << 2;
    const target = load<i32>(targets + ((<usize>n) << 2));
    const g: f32 = target < 0 ? 0 : load<f32>(dlosses + ((<usize>n) << 2));
    const gv = f32x4.splat(g);
    let v = 0;
    for (; v + 4 <= V; v += 4) {
      const a = (<usize>v) << 2;
      v128.store(dlogits + o + a, f32x4.mul(v128.load(probs + o + a), gv));
    }
    for (; v < V; v++) {
      const a = (<usize>v) << 2;
      store<f32>(dlogits + o + a, load<f32>(probs + o + a) * g);
    }
    if (target >= 0) {
      const a = dlogits + o + ((<usize>target) << 2);
      store<f32>(a, (load<f32>(probs + o + ((<usize>target) << 2)) - 1) * g);
    }
  }
}
