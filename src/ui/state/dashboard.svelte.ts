// The live curves of one run. Batches of UpdateMetrics are appended to a columnar table
// (amortised growth) and `columns` is replaced with a fresh snapshot after each append, so
// every chart that reads it redraws once per batch. Decimation for display happens in the
// chart, at its own pixel width.
import type { Stage, UpdateMetrics } from '../../rl/metrics';
import { emptyColumns, MetricTable, type MetricColumns } from '../dashboard/metric-table';

export class DashboardState {
  columns = $state.raw<MetricColumns>(emptyColumns());

  /** Updates done per stage. */
  done = $derived.by((): [number, number, number] => {
    const { stageStarts, length } = this.columns;
    const done: [number, number, number] = [0, 0, 0];
    stageStarts.forEach((s, i) => {
      done[s.stage] += (stageStarts[i + 1]?.row ?? length) - s.row;
    });
    return done;
  });

  /** Stage of the latest update, null before the first. */
  stage = $derived<Stage | null>(
    this.columns.length > 0 ? (this.columns.stage[this.columns.length - 1] as Stage) : null,
  );

  /** Update numbers (1-based, run-wide) where a new stage begins: rules on the charts. */
  stageMarkers = $derived(this.columns.stageStarts.filter((s) => s.row > 0).map((s) => s.row + 1));

  #table = new MetricTable();

  append(batch: readonly UpdateMetrics[]): void {
    if (batch.length === 0) return;
    this.#table.append(batch);
    this.columns = this.#table.snapshot();
  }

  /** Start over, optionally with a run's stored metrics. */
  reset(records: readonly UpdateMetrics[] = []): void {
    this.#table = new MetricTable();
    this.#table.append(records);
    this.columns = this.#table.snapshot();
  }
}
