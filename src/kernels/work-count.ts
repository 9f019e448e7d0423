// Multiply-adds of the code that runs on a Backend, counted from the shapes of its calls: the
// work a stage-1 update asks of any backend, and with it the fastest rate a machine could reach
// at a measured multiply-add rate. Matmuls are counted exactly; attention only over the keys a
// query must see (causal: key ≤ query), so the count is a floor under the attention kernels'
// real work (the bidirectional prompt prefix sees more). Everything else (norms, softmax,
// sampling, AdamW) is a few operations per element and is left out: the count is a lower bound.
//
//   const counter = new WorkCounter(be);
//   const planner = new Planner(counter.backend, config, V, B);
//   planner.trainStep(opt, 1);
//   counter.take(); // { matmul: 1.2e9, attention: 3e7, ... }
import type { AttentionShape, Backend, MatmulOptions, Tensor } from './backend';

/** Multiply-adds per op kind since the last take(). */
export type WorkCounts = Partial<Record<CountedOp, number>>;

type CountedOp = 'matmul' | 'attention' | 'attentionBackward' | 'attentionStep';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Multiply-adds of out = op(a)·op(b): one per output element per inner index. */
export function matmulMultiplyAdds(out: Tensor, a: Tensor, opts: MatmulOptions = {}): number {
  const K = opts.transA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  return size(out.shape) * K;
}

/** Causal attention forward: q·k over keys ≤ query, then p·v over the same keys. */
export function attentionMultiplyAdds(s: AttentionShape): number {
  return 2 * s.B * s.NH * ((s.T * (s.T + 1)) / 2) * s.HS;
}

export class WorkCounter {
  private counts: WorkCounts = {};
  /** The wrapped backend, typed as a Backend for model code; every call runs at once. */
  readonly backend: Backend;

  constructor(inner: Backend) {
    const add = (op: CountedOp, n: number) => (this.counts[op] = (this.counts[op] ?? 0) + n);
    this.backend = new Proxy(inner, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const fn = (value as (...args: unknown[]) => unknown).bind(target);
        switch (prop) {
          case 'matmul':
            return (out: Tensor, a: Tensor, b: Tensor, opts?: MatmulOptions) => {
              add('matmul', matmulMultiplyAdds(out, a, opts));
              return fn(out, a, b, opts);
            };
          case 'attention':
            return (...args: unknown[]) => {
              add('attention', attentionMultiplyAdds(args[4] as AttentionShape));
              return fn(...args);
            };
          case 'attentionBackward':
            // dq and dk from the scores' gradient, dp and dv from the output's: twice forward.
            return (...args: unknown[]) => {
              add('attentionBackward', 2 * attentionMultiplyAdds(args[5] as AttentionShape));
              return fn(...args);
            };
          case 'attentionStep':
            return (...args: unknown[]) => {
              const s = args[4] as AttentionShape;
              add('attentionStep', 2 * s.B * s.NH * ((args[2] as number) + 1) * s.HS);
              return fn(...args);
            };
          default:
            return fn;
        }
      },
    });
  }

  /** The counts since the last take(), then starts again from zero. */
  take(): WorkCounts {
    const out = this.counts;
    this.counts = {};
    return out;
  }
}

/** The sum over op kinds. */
export function totalMultiplyAdds(c: WorkCounts): number {
  return Object.values(c).reduce((a, b) => a + b, 0);
}
