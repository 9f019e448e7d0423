// The run history: every run's config, metrics and checkpoints, kept across reloads. This
// module holds the logic (ids, counters, byte counts, the retry queue, plain-language errors);
// the storage itself is a RunDb (IndexedDB in the app, memory in unit tests and as fallback).
//
//   const store = await openRunStore();          // open.ts: one shared store per page
//   const run = await store.createRun({ name: 'quick demo', config });
//   await store.appendMetrics(run.id, batch);     // UpdateMetrics[] as the trainer streams them
//   const metrics = await store.loadMetrics(run.id);
//
// Writes run one after another (a queue), so appends from a fast trainer keep their order.
import type { Stage, UpdateMetrics } from '../../rl/metrics';
import { STAGES } from '../../rl/stage-list';
import type { CheckpointRecord, MetricsChunk, RunDb, RunRecord, RunStatus } from './db';

export type { CheckpointRecord, RunRecord, RunStatus } from './db';

/** Storage is full. Nothing stored before was lost; the failed batch waits in memory. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

export type RunEvent =
  | { type: 'created'; run: RunRecord }
  /** `records` were stored at run-wide indices start, start + 1, ... */
  | { type: 'appended'; run: RunRecord; start: number; records: UpdateMetrics[] }
  | { type: 'updated'; run: RunRecord }
  | { type: 'deleted'; id: string };

export interface StorageUse {
  /** What the browser reports for this origin (navigator.storage.estimate), if it can. */
  usage: number | null;
  quota: number | null;
  /** Our own count per run: metrics as JSON text plus checkpoint bytes. */
  runs: { id: string; name: string; bytes: number }[];
  runBytes: number;
  persistent: boolean;
}

export interface RunStoreOptions {
  newId?: () => string;
  now?: () => number;
  /** Override for tests; defaults to navigator.storage.estimate when present. */
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

export function runBytes(run: RunRecord): number {
  return run.metricsBytes + run.checkpointBytes;
}

/** Bytes of the records as JSON text: a stable, cheap stand-in for their stored size. */
function jsonBytes(records: UpdateMetrics[]): number {
  return new TextEncoder().encode(JSON.stringify(records)).byteLength;
}

function isQuotaError(e: unknown): boolean {
  return e instanceof Error || e instanceof DOMException ? e.name === 'QuotaExceededError' : false;
}

function message(e: unknown): string {
  return e instanceof Error || e instanceof DOMException ? e.message : String(e);
}

function defaultEstimate(): Promise<{ usage?: number; quota?: number }> | null {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  return storage?.estimate ? storage.estimate() : null;
}

export class RunStore {
  readonly #db: RunDb;
  readonly #newId: () => string;
  readonly #now: () => number;
  readonly #estimate: () => Promise<{ usage?: number; quota?: number }> | null;
  /** Batches that failed to store, by run, oldest first, waiting for a retry. */
  readonly #pending = new Map<string, UpdateMetrics[]>();
  readonly #listeners = new Set<(e: RunEvent) => void>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: RunDb, options: RunStoreOptions = {}) {
    this.#db = db;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#now = options.now ?? Date.now;
    this.#estimate = options.estimate ?? defaultEstimate;
  }

  /** False when history lives only in memory (no IndexedDB): it ends with the page. */
  get persistent(): boolean {
    return this.#db.persistent;
  }

  /** Listen to every change; returns the unsubscribe function. */
  subscribe(listener: (e: RunEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  createRun(init: { name: string; config?: unknown }): Promise<RunRecord> {
    return this.#serial(async () => {
      const run: RunRecord = {
        id: this.#newId(),
        name: init.name.trim() || 'Untitled run',
        created: this.#now(),
        config: init.config ?? null,
        status: 'running',
        stage: STAGES[0],
        updates: 0,
        lastError: null,
        metricsBytes: 0,
        checkpointBytes: 0,
      };
      await this.#db.putRun(run);
      this.#emit({ type: 'created', run });
      return run;
    });
  }

  /**
   * Store a batch of metrics after the run's last one. If it fails (a full disk), the batch is
   * kept in memory and written before the next batch, or by retryPending(); the error says so.
   */
  appendMetrics(runId: string, batch: readonly UpdateMetrics[]): Promise<void> {
    return this.#serial(async () => {
      const run = await this.#requireRun(runId);
      const records = [...(this.#pending.get(runId) ?? []), ...batch];
      if (records.length === 0) return;
      const chunk: MetricsChunk = { runId, start: run.updates, records };
      const updated: RunRecord = {
        ...run,
        updates: run.updates + records.length,
        stage: records[records.length - 1].stage,
        metricsBytes: run.metricsBytes + jsonBytes(records),
      };
      try {
        await this.#db.appendChunk(updated, chunk);
      } catch (e) {
        this.#pending.set(runId, records);
        const kept = `${records.length} update${records.length === 1 ? '' : 's'} of "${run.name}"`;
        if (isQuotaError(e)) {
          throw new StorageFullError(
            `Browser storage is full: ${kept} are kept in memory, not saved yet. ` +
              'Delete old runs to free space; they will be saved with the next batch.',
            { cause: e },
          );
        }
        throw new Error(`Could not save metrics (${message(e)}): ${kept} are kept in memory.`, {
          cause: e,
        });
      }
      this.#pending.delete(runId);
      this.#emit({ type: 'appended', run: updated, start: chunk.start, records });
    });
  }

  /** Records of the run that failed to store and wait in memory. */
  pendingCount(runId: string): number {
    return this.#pending.get(runId)?.length ?? 0;
  }

  /** Try again to store the batches that failed. */
  retryPending(runId: string): Promise<void> {
    return this.appendMetrics(runId, []);
  }

  /** All runs, newest first. */
  async listRuns(): Promise<RunRecord[]> {
    const runs = await this.#db.listRuns();
    return runs.sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1));
  }

  getRun(id: string): Promise<RunRecord | undefined> {
    return this.#db.getRun(id);
  }

  /** Every stored metrics record of the run, in order. */
  async loadMetrics(runId: string): Promise<UpdateMetrics[]> {
    const chunks = await this.#db.loadChunks(runId);
    const total = chunks.reduce((n, c) => n + c.records.length, 0);
    const out = new Array<UpdateMetrics>(total);
    let i = 0;
    for (const chunk of chunks) for (const r of chunk.records) out[i++] = r;
    return out;
  }

  saveCheckpoint(runId: string, stage: Stage, update: number, data: ArrayBuffer): Promise<void> {
    return this.#serial(async () => {
      const run = await this.#requireRun(runId);
      const previous = await this.#db.latestCheckpoint(runId);
      // Replacing the same (stage, update) must not count its bytes twice.
      const replaced = previous?.stage === stage && previous.update === update ? previous.bytes : 0;
      const checkpoint: CheckpointRecord = {
        runId,
        stage,
        update,
        saved: this.#now(),
        bytes: data.byteLength,
        data,
      };
      const updated = { ...run, checkpointBytes: run.checkpointBytes - replaced + data.byteLength };
      try {
        await this.#db.putCheckpoint(updated, checkpoint);
      } catch (e) {
        const what = `the checkpoint at stage ${stage}, update ${update} of "${run.name}"`;
        if (isQuotaError(e)) {
          throw new StorageFullError(
            `Browser storage is full: ${what} was not saved. Delete old runs to free space.`,
            { cause: e },
          );
        }
        throw new Error(`Could not save ${what}: ${message(e)}`, { cause: e });
      }
      this.#emit({ type: 'updated', run: updated });
    });
  }

  latestCheckpoint(runId: string): Promise<CheckpointRecord | undefined> {
    return this.#db.latestCheckpoint(runId);
  }

  /** The checkpoint at (stage, update): resuming needs the stage's start (update 0) too. */
  checkpointAt(runId: string, stage: Stage, update: number): Promise<CheckpointRecord | undefined> {
    return this.#db.checkpointAt(runId, stage, update);
  }

  /** Record the run's status; `error` is kept as lastError (cleared by a later status). */
  setStatus(runId: string, status: RunStatus, error?: string): Promise<RunRecord> {
    return this.#serial(async () => {
      const run = await this.#requireRun(runId);
      const updated: RunRecord = { ...run, status, lastError: error ?? null };
      await this.#db.putRun(updated);
      this.#emit({ type: 'updated', run: updated });
      return updated;
    });
  }

  /** Remove the run with all its metrics and checkpoints (and any batch waiting to be saved). */
  deleteRun(runId: string): Promise<void> {
    return this.#serial(async () => {
      await this.#db.deleteRun(runId);
      this.#pending.delete(runId);
      this.#emit({ type: 'deleted', id: runId });
    });
  }

  async storageEstimate(): Promise<StorageUse> {
    const runs = (await this.listRuns()).map((r) => ({
      id: r.id,
      name: r.name,
      bytes: runBytes(r),
    }));
    let usage: number | null = null;
    let quota: number | null = null;
    try {
      const estimate = await this.#estimate();
      usage = estimate?.usage ?? null;
      quota = estimate?.quota ?? null;
    } catch {
      // Some browsers refuse estimate() in private mode; our own counts still stand.
    }
    return {
      usage,
      quota,
      runs,
      runBytes: runs.reduce((n, r) => n + r.bytes, 0),
      persistent: this.persistent,
    };
  }

  close(): void {
    this.#db.close();
  }

  async #requireRun(runId: string): Promise<RunRecord> {
    const run = await this.#db.getRun(runId);
    if (!run) throw new Error(`No run with id ${runId} in the history.`);
    return run;
  }

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(job);
    this.#queue = result.catch(() => {});
    return result;
  }

  #emit(event: RunEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
