// AdamW and gradient clipping, CPU reference.
import type { AdamWSettings } from '../backend';
import type { In, Out } from './arrays';

/**
 * Decoupled weight decay Adam (Loshchilov & Hutter), in place over n elements:
 * m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², p −= lr·(m̂/(√v̂ + eps) + wd·p)
 * with m̂ = m/(1−β1^step), v̂ = v/(1−β2^step).
 */
export function adamwUpdate(
  params: Out,
  grads: In,
  m: Out,
  v: Out,
  s: AdamWSettings,
  n: number,
): void {
  const c1 = 1 - Math.pow(s.beta1, s.step);
  const c2 = 1 - Math.pow(s.beta2, s.step);
  for (let i = 0; i < n; i++) {
    const g = grads[i];
    const mi = s.beta1 * m[i] + (1 - s.beta1) * g;
    const vi = s.beta2 * v[i] + (1 - s.beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const p = params[i];
    params[i] = p - s.lr * (mi / c1 / (Math.sqrt(vi / c2) + s.eps) + s.weightDecay * p);
  }
}

/** The factor clipByNorm multiplies by: min(1, maxNorm / (norm + 1e-6)). */
export function clipFactor(norm: number, maxNorm: number): number {
  return Math.min(1, maxNorm / (norm + 1e-6));
}

/** grads *= min(1, maxNorm / (norm[0] + 1e-6)). */
export function clipByNorm(grads: Out, norm: In, maxNorm: number, n: number): void {
  const f = clipFactor(norm[0], maxNorm);
  if (f === 1) return;
  for (let i = 0; i < n; i++) grads[i] *= f;
}
