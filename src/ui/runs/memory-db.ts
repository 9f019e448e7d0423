// The run history in memory: the fallback when IndexedDB is missing (private mode) or fails
// to open, and the stand-in for IndexedDB in unit tests. Values are copied in and out with
// structuredClone, as IndexedDB does. `quotaBytes` makes writes fail the way a full disk does.
import type { CheckpointRecord, MetricsChunk, RunDb, RunRecord } from './db';

export interface MemoryDbOptions {
  /** Refuse a write with QuotaExceededError once stored bytes would pass this. */
  quotaBytes?: number;
}

export class MemoryRunDb implements RunDb {
  readonly persistent = false;
  quotaBytes: number;
  #runs = new Map<string, RunRecord>();
  #chunks = new Map<string, MetricsChunk[]>();
  #checkpoints = new Map<string, CheckpointRecord[]>();

  constructor(options: MemoryDbOptions = {}) {
    this.quotaBytes = options.quotaBytes ?? Infinity;
  }

  async listRuns(): Promise<RunRecord[]> {
    return [...this.#runs.values()].map((r) => structuredClone(r));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const run = this.#runs.get(id);
    return run && structuredClone(run);
  }

  async putRun(run: RunRecord): Promise<void> {
    this.#runs.set(run.id, structuredClone(run));
  }

  async appendChunk(run: RunRecord, chunk: MetricsChunk): Promise<void> {
    this.#checkQuota(run);
    const chunks = this.#chunks.get(run.id) ?? [];
    chunks.push(structuredClone(chunk));
    chunks.sort((a, b) => a.start - b.start);
    this.#chunks.set(run.id, chunks);
    this.#runs.set(run.id, structuredClone(run));
  }

  async loadChunks(runId: string): Promise<MetricsChunk[]> {
    return (this.#chunks.get(runId) ?? []).map((c) => structuredClone(c));
  }

  async putCheckpoint(run: RunRecord, checkpoint: CheckpointRecord): Promise<void> {
    this.#checkQuota(run);
    const list = (this.#checkpoints.get(run.id) ?? []).filter(
      (c) => c.stage !== checkpoint.stage || c.update !== checkpoint.update,
    );
    list.push(structuredClone(checkpoint));
    list.sort((a, b) => a.stage - b.stage || a.update - b.update);
    this.#checkpoints.set(run.id, list);
    this.#runs.set(run.id, structuredClone(run));
  }

  async latestCheckpoint(runId: string): Promise<CheckpointRecord | undefined> {
    const list = this.#checkpoints.get(runId);
    const last = list?.[list.length - 1];
    return last && structuredClone(last);
  }

  async checkpointAt(
    runId: string,
    stage: number,
    update: number,
  ): Promise<CheckpointRecord | undefined> {
    const found = this.#checkpoints
      .get(runId)
      ?.find((c) => c.stage === stage && c.update === update);
    return found && structuredClone(found);
  }

  async deleteRun(id: string): Promise<void> {
    this.#runs.delete(id);
    this.#chunks.delete(id);
    this.#checkpoints.delete(id);
  }

  close(): void {}

  /** Bytes after this write: the run record given carries the new counters. */
  #checkQuota(updated: RunRecord): void {
    let total = updated.metricsBytes + updated.checkpointBytes;
    for (const r of this.#runs.values()) {
      if (r.id !== updated.id) total += r.metricsBytes + r.checkpointBytes;
    }
    if (total > this.quotaBytes) {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
  }
}
