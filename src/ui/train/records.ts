// Which streamed metrics are new to the run history. A run resumed from a checkpoint older
// than its last stored record (the page was closed between two checkpoints) trains those
// updates again; exact resume makes them identical, so they are dropped, not stored twice.
import type { Stage, UpdateMetrics } from '../../rl/metrics';

export interface Position {
  stage: Stage;
  update: number;
}

export function isAfter(m: Position, last: Position | null): boolean {
  return (
    last === null || m.stage > last.stage || (m.stage === last.stage && m.update > last.update)
  );
}

/** The records of the batch past `last`, in order. */
export function newRecords(
  batch: readonly UpdateMetrics[],
  last: Position | null,
): UpdateMetrics[] {
  return batch.filter((m) => isAfter(m, last));
}

/** Mean of the last `n` finite values of a column (updates/s on the status line). */
export function recentMean(column: ArrayLike<number>, length: number, n: number): number | null {
  let sum = 0;
  let count = 0;
  for (let i = length - 1; i >= 0 && count < n; i--) {
    const v = column[i];
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? null : sum / count;
}
