// One run store per page, shared by the Runs view and (later) the trainer. If IndexedDB is
// missing or will not open, history falls back to memory and `error` says why: the app keeps
// working, runs just do not survive a reload.
import { IdbRunDb } from './idb-db';
import { MemoryRunDb } from './memory-db';
import { RunStore } from './store';

export interface OpenedStore {
  store: RunStore;
  /** Why history is not saved (null when it is). */
  error: string | null;
}

let opened: Promise<OpenedStore> | null = null;

export function openRunStore(): Promise<OpenedStore> {
  opened ??= IdbRunDb.open().then(
    (db) => ({ store: new RunStore(db), error: null }),
    (e: unknown) => ({
      store: new RunStore(new MemoryRunDb()),
      error: `Run history is not saved in this session: ${e instanceof Error ? e.message : String(e)}.`,
    }),
  );
  return opened;
}
