// The run history in IndexedDB, through idb. Schema version 1:
//   runs         key id                       → RunRecord
//   metrics      key [runId, start]           → MetricsChunk (one appended batch)
//   checkpoints  key [runId, stage, update]   → CheckpointRecord
// Array keys sort element by element and any array sorts after any number, so
// [runId] .. [runId, []] is exactly one run's rows, in order.
import {
  openDB,
  type DBSchema,
  type IDBPDatabase,
  type IDBPTransaction,
  type StoreNames,
} from 'idb';
import type { CheckpointRecord, MetricsChunk, RunDb, RunRecord } from './db';

export const DB_NAME = 'tracelab-runs';
export const DB_VERSION = 1;

interface RunsSchema extends DBSchema {
  runs: { key: string; value: RunRecord };
  metrics: { key: [string, number]; value: MetricsChunk };
  checkpoints: { key: [string, number, number]; value: CheckpointRecord };
}

type Db = IDBPDatabase<RunsSchema>;

/** Every row of one run in a store keyed by [runId, ...]. */
function ofRun(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId], [runId, []]);
}

/**
 * Wait for a read-write transaction; if it aborted, throw the transaction's own error (e.g.
 * QuotaExceededError) rather than the AbortError each request reports.
 */
async function finish<S extends StoreNames<RunsSchema>[]>(
  tx: IDBPTransaction<RunsSchema, S, 'readwrite'>,
  requests: Promise<unknown>[],
): Promise<void> {
  try {
    await Promise.all([...requests, tx.done]);
  } catch (e) {
    throw tx.error ?? e;
  }
}

export class IdbRunDb implements RunDb {
  readonly persistent = true;
  #db: Db;
  /** Set when another tab needs a newer schema and we closed to let it upgrade. */
  closedReason: string | null = null;

  private constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Open (and create or upgrade) the database. Rejects with a plain-language error when
   * IndexedDB is missing, the upgrade is blocked by another tab, or the open fails.
   */
  static async open(): Promise<IdbRunDb> {
    if (typeof indexedDB === 'undefined' || !indexedDB) {
      throw new Error('IndexedDB is not available in this browser (private browsing?)');
    }
    let gaveUp = false;
    let self: IdbRunDb | null = null;
    let rejectBlocked: (e: Error) => void = () => {};
    const blocked = new Promise<never>((_, reject) => (rejectBlocked = reject));
    const opening = openDB<RunsSchema>(DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('runs', { keyPath: 'id' });
          db.createObjectStore('metrics', { keyPath: ['runId', 'start'] });
          db.createObjectStore('checkpoints', { keyPath: ['runId', 'stage', 'update'] });
        }
      },
      blocked() {
        gaveUp = true;
        rejectBlocked(
          new Error('the run history needs an upgrade: close other TraceLab tabs and reload'),
        );
      },
      blocking(_current, _next, event) {
        // A newer TraceLab in another tab wants to upgrade: step aside instead of blocking it.
        (event.target as IDBDatabase).close();
        if (self) self.closedReason = 'a newer TraceLab opened in another tab: reload this one';
      },
    });
    // If the other tab closes later, the open we gave up on still completes: close it.
    void opening.then((db) => gaveUp && db.close()).catch(() => {});
    const db = await Promise.race([opening, blocked]);
    self = new IdbRunDb(db);
    return self;
  }

  async listRuns(): Promise<RunRecord[]> {
    return this.#db.getAll('runs');
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.#db.get('runs', id);
  }

  async putRun(run: RunRecord): Promise<void> {
    const tx = this.#db.transaction('runs', 'readwrite');
    await finish(tx, [tx.store.put(run)]);
  }

  async appendChunk(run: RunRecord, chunk: MetricsChunk): Promise<void> {
    const tx = this.#db.transaction(['runs', 'metrics'], 'readwrite');
    await finish(tx, [tx.objectStore('metrics').add(chunk), tx.objectStore('runs').put(run)]);
  }

  async loadChunks(runId: string): Promise<MetricsChunk[]> {
    return this.#db.getAll('metrics', ofRun(runId));
  }

  async putCheckpoint(run: RunRecord, checkpoint: CheckpointRecord): Promise<void> {
    const tx = this.#db.transaction(['runs', 'checkpoints'], 'readwrite');
    await finish(tx, [
      tx.objectStore('checkpoints').put(checkpoint),
      tx.objectStore('runs').put(run),
    ]);
  }

  async latestCheckpoint(runId: string): Promise<CheckpointRecord | undefined> {
    const cursor = await this.#db.transaction('checkpoints').store.openCursor(ofRun(runId), 'prev');
    return cursor?.value;
  }

  async checkpointAt(
    runId: string,
    stage: number,
    update: number,
  ): Promise<CheckpointRecord | undefined> {
    return this.#db.get('checkpoints', [runId, stage, update]);
  }

  async deleteRun(id: string): Promise<void> {
    const tx = this.#db.transaction(['runs', 'metrics', 'checkpoints'], 'readwrite');
    await finish(tx, [
      tx.objectStore('runs').delete(id),
      tx.objectStore('metrics').delete(ofRun(id)),
      tx.objectStore('checkpoints').delete(ofRun(id)),
    ]);
  }

  close(): void {
    this.#db.close();
  }
}
