// The metrics of one run as columns: one Float64Array per curve, grown by doubling so an
// append is amortised O(batch). A snapshot is a set of subarray views of the first `length`
// rows; rows are never rewritten, so an older snapshot stays valid for its own length.
// Missing values (a reward component a record lacks, reward in stage 0) are NaN.
import { SCALAR_SERIES, type ScalarSeries, type Stage, type UpdateMetrics } from '../../rl/metrics';

/**
 * The scalar curves a dashboard keeps: every run's, and the optional ones only some stages
 * report (the GRPO stages' mean |ρ − 1|), NaN where a record has none.
 */
export const DASHBOARD_SERIES = [...SCALAR_SERIES, 'ratioDeviation'] as const;
export type DashboardSeries = ScalarSeries | 'ratioDeviation';

export interface EvaluationPoint {
  /** Run-wide row index of the update after which the evaluation ran. */
  row: number;
  results: Record<string, Record<string, number>>;
}

export interface MetricColumns {
  length: number;
  stage: Float64Array;
  /** Update index within its stage, as in UpdateMetrics.update. */
  update: Float64Array;
  elapsed: Float64Array;
  scalars: Readonly<Record<DashboardSeries, Float64Array>>;
  /** Reward components by name, in the order they first appeared. */
  components: ReadonlyMap<string, Float64Array>;
  /** Reward per horizon step: perStep[t - 1][row]; as many as the longest H seen. */
  perStep: readonly Float64Array[];
  /** Sparse: only rows after which an evaluation ran. */
  evaluations: readonly EvaluationPoint[];
  /** Row at which each stage began, in order of appearance, e.g. [{stage: 0, row: 0}, ...]. */
  stageStarts: readonly { stage: Stage; row: number }[];
}

const INITIAL_CAPACITY = 256;

function grow(column: Float64Array, capacity: number): Float64Array {
  const bigger = new Float64Array(capacity).fill(NaN);
  bigger.set(column);
  return bigger;
}

function filledColumn(capacity: number): Float64Array {
  return new Float64Array(capacity).fill(NaN);
}

export class MetricTable {
  #length = 0;
  #capacity = INITIAL_CAPACITY;
  #stage = filledColumn(INITIAL_CAPACITY);
  #update = filledColumn(INITIAL_CAPACITY);
  #elapsed = filledColumn(INITIAL_CAPACITY);
  #scalars = Object.fromEntries(
    DASHBOARD_SERIES.map((k) => [k, filledColumn(INITIAL_CAPACITY)]),
  ) as Record<DashboardSeries, Float64Array>;
  #components = new Map<string, Float64Array>();
  #perStep: Float64Array[] = [];
  #evaluations: EvaluationPoint[] = [];
  #stageStarts: { stage: Stage; row: number }[] = [];

  get length(): number {
    return this.#length;
  }

  append(batch: readonly UpdateMetrics[]): void {
    this.#reserve(this.#length + batch.length);
    for (const m of batch) {
      const row = this.#length++;
      const last = this.#stageStarts[this.#stageStarts.length - 1];
      if (!last || last.stage !== m.stage) this.#stageStarts.push({ stage: m.stage, row });
      this.#stage[row] = m.stage;
      this.#update[row] = m.update;
      this.#elapsed[row] = m.elapsed;
      for (const k of DASHBOARD_SERIES) this.#scalars[k][row] = m[k] ?? NaN;
      for (const name in m.rewardComponents) {
        let column = this.#components.get(name);
        if (!column) this.#components.set(name, (column = filledColumn(this.#capacity)));
        column[row] = m.rewardComponents[name];
      }
      const steps = m.rewardPerStep;
      while (this.#perStep.length < steps.length) this.#perStep.push(filledColumn(this.#capacity));
      for (let t = 0; t < steps.length; t++) this.#perStep[t][row] = steps[t];
      if (m.evaluation) this.#evaluations.push({ row, results: m.evaluation });
    }
  }

  /** Views of the rows so far. Cheap (no copy): make one per append and replace the old. */
  snapshot(): MetricColumns {
    const n = this.#length;
    const view = (c: Float64Array) => c.subarray(0, n);
    return {
      length: n,
      stage: view(this.#stage),
      update: view(this.#update),
      elapsed: view(this.#elapsed),
      scalars: Object.fromEntries(
        DASHBOARD_SERIES.map((k) => [k, view(this.#scalars[k])]),
      ) as Record<DashboardSeries, Float64Array>,
      components: new Map([...this.#components].map(([name, c]) => [name, view(c)])),
      perStep: this.#perStep.map(view),
      evaluations: this.#evaluations.slice(),
      stageStarts: this.#stageStarts.slice(),
    };
  }

  #reserve(rows: number): void {
    if (rows <= this.#capacity) return;
    let capacity = this.#capacity;
    while (capacity < rows) capacity *= 2;
    this.#capacity = capacity;
    this.#stage = grow(this.#stage, capacity);
    this.#update = grow(this.#update, capacity);
    this.#elapsed = grow(this.#elapsed, capacity);
    for (const k of DASHBOARD_SERIES) this.#scalars[k] = grow(this.#scalars[k], capacity);
    for (const [name, c] of this.#components) this.#components.set(name, grow(c, capacity));
    this.#perStep = this.#perStep.map((c) => grow(c, capacity));
  }
}

export function emptyColumns(): MetricColumns {
  return new MetricTable().snapshot();
}

/** The last finite value of a column and its row, or null. */
export function lastFinite(column: ArrayLike<number>): { row: number; value: number } | null {
  for (let i = column.length - 1; i >= 0; i--) {
    if (Number.isFinite(column[i])) return { row: i, value: column[i] };
  }
  return null;
}
