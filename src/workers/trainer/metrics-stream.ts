// Metrics leave the worker in small batches: the first record at once (so the first chart
// point shows as soon as it exists), then at most one batch per interval, with a trailing
// timer so the last records of a burst are not left waiting. Each message to the page costs
// a structured clone and a redraw, so one per update would flood a fast GPU's page.
import type { UpdateMetrics } from '../../rl/metrics';

export class MetricsStream {
  #pending: UpdateMetrics[] = [];
  #lastSent = -Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (batch: UpdateMetrics[]) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(m: UpdateMetrics): void {
    this.#pending.push(m);
    const wait = this.#lastSent + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Send whatever waits now (before a checkpoint, on pause, at the end). */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#lastSent = this.now();
    this.send(batch);
  }
}
