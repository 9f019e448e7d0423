// The divergence guard: a stage stops when its loss or gradient norm jumps beyond
// `run.divergenceFactor` times its running median (the last WINDOW updates, once MIN_HISTORY
// are known), not only when it turns NaN. The median ignores the spikes it looks for, unlike a
// mean. The loss is watched in the supervised stage only: its cross-entropy is positive, while
// the GRPO surrogate hovers around zero and changes sign; the gradient norm is watched
// in every stage (a zero median, e.g. GRPO groups with equal rewards, says nothing). Its scale
// never falls below the clip norm: a confident policy whose groups mostly tie has a median
// gradient of ~0.01, and an ordinary step of norm 1–2 would otherwise read as a 100× spike.
import type { UpdateMetrics } from './metrics';
import { isSupervised, type Stage } from './stage-list';

const WINDOW = 25;
const MIN_HISTORY = 10;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export class DivergenceGuard {
  readonly #loss: number[] = [];
  readonly #grad: number[] = [];

  constructor(
    readonly factor: number,
    readonly stage: Stage,
    /** optimiser.gradClip: the smallest gradient-norm scale (0 = none). */
    readonly gradFloor = 0,
  ) {}

  /** Earlier updates of the stage (a resumed run's stored metrics), oldest first. */
  seed(history: readonly Pick<UpdateMetrics, 'loss' | 'gradNorm'>[]): void {
    for (const m of history.slice(-WINDOW)) {
      if (Number.isFinite(m.loss)) this.#push(this.#loss, m.loss);
      if (Number.isFinite(m.gradNorm)) this.#push(this.#grad, m.gradNorm);
    }
  }

  /** Why update `m` diverged, or null (then it joins the history). 0 = guard off. */
  check(m: UpdateMetrics): string | null {
    if (this.factor <= 0) return null;
    const spike =
      (isSupervised(this.stage) ? this.#spike('loss', m.loss, this.#loss) : null) ??
      this.#spike('gradient norm', m.gradNorm, this.#grad, this.gradFloor);
    if (spike) return spike;
    this.#push(this.#loss, m.loss);
    this.#push(this.#grad, m.gradNorm);
    return null;
  }

  #spike(what: string, x: number, history: number[], floor = 0): string | null {
    if (history.length < MIN_HISTORY) return null;
    const med = median(history);
    const scale = Math.max(med, floor);
    if (!(scale > 0) || x <= this.factor * scale) return null;
    const of =
      scale === med
        ? `its running median ${med.toPrecision(4)}`
        : `the clip norm ${scale.toPrecision(4)} (its running median ${med.toPrecision(4)} is smaller)`;
    return `the ${what} ${x.toPrecision(4)} is ${(x / scale).toFixed(1)}× ${of} (over ${history.length} updates; run.divergenceFactor is ${this.factor})`;
  }

  #push(history: number[], x: number): void {
    history.push(x);
    if (history.length > WINDOW) history.shift();
  }
}
