// The records of the run history and the tiny storage interface the store is written
// against. Two implementations: IndexedDB (idb-db.ts, the real one) and memory (memory-db.ts,
// for unit tests and for a session without IndexedDB). Each method that changes two things
// (a metrics chunk and the run's counters) does so atomically, so a failed write leaves the
// history exactly as it was.
import type { Stage, UpdateMetrics } from '../../rl/metrics';

export type RunStatus = 'running' | 'paused' | 'finished' | 'failed';

export interface RunRecord {
  id: string;
  name: string;
  /** Milliseconds since the epoch. */
  created: number;
  /** The run's settings; opaque here, owned by the trainer's settings schema. */
  config: unknown;
  status: RunStatus;
  /** Stage of the last stored update (0 before any). */
  stage: Stage;
  /** Updates stored so far, all stages together (= metrics records). */
  updates: number;
  lastError: string | null;
  /** Our own estimate of the bytes this run takes: metrics as JSON text, checkpoints as stored. */
  metricsBytes: number;
  checkpointBytes: number;
}

/**
 * Metrics are stored in chunks, one per appended batch, keyed by [runId, start] where start is
 * the run-wide index of the chunk's first record: loading 10,000 records reads a few hundred
 * rows instead of 10,000.
 */
export interface MetricsChunk {
  runId: string;
  start: number;
  records: UpdateMetrics[];
}

export interface CheckpointRecord {
  runId: string;
  stage: Stage;
  /** Update index within the stage, as in UpdateMetrics.update. */
  update: number;
  saved: number;
  bytes: number;
  data: ArrayBuffer;
}

export interface RunDb {
  /** False for the in-memory fallback: nothing survives a reload. */
  readonly persistent: boolean;
  listRuns(): Promise<RunRecord[]>;
  getRun(id: string): Promise<RunRecord | undefined>;
  putRun(run: RunRecord): Promise<void>;
  /** Write the chunk and the run record (with its new counters) in one transaction. */
  appendChunk(run: RunRecord, chunk: MetricsChunk): Promise<void>;
  /** Every chunk of the run, ordered by start. */
  loadChunks(runId: string): Promise<MetricsChunk[]>;
  /** Write the checkpoint and the run record in one transaction. */
  putCheckpoint(run: RunRecord, checkpoint: CheckpointRecord): Promise<void>;
  /** The checkpoint with the highest (stage, update), if any. */
  latestCheckpoint(runId: string): Promise<CheckpointRecord | undefined>;
  /** The checkpoint at exactly (stage, update), if stored (a stage's start is update 0). */
  checkpointAt(runId: string, stage: Stage, update: number): Promise<CheckpointRecord | undefined>;
  /** Remove the run, its metrics and its checkpoints in one transaction. */
  deleteRun(id: string): Promise<void>;
  close(): void;
}
