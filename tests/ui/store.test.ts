// The run-history logic over the in-memory RunDb: ordering, counters, the retry queue on a
// full disk (nothing stored is lost, nothing pending is dropped), deletion, checkpoints and
// storage figures. The IndexedDB implementation is exercised in Chromium (tests/e2e/runs.e2e.ts).
import { describe, expect, test } from 'vitest';
import type { CheckpointRecord, MetricsChunk, RunDb, RunRecord } from '../../src/ui/runs/db';
import { MemoryRunDb } from '../../src/ui/runs/memory-db';
import { RunStore, StorageFullError, type RunEvent } from '../../src/ui/runs/store';
import { syntheticMetrics } from './synthetic';

function makeStore(db: RunDb = new MemoryRunDb()) {
  let id = 0;
  let clock = 1000;
  const store = new RunStore(db, {
    newId: () => `run-${++id}`,
    now: () => clock++,
    estimate: async () => ({ usage: 12_345, quota: 1_000_000 }),
  });
  const events: RunEvent[] = [];
  store.subscribe((e) => events.push(e));
  return { store, events, db };
}

describe('RunStore', () => {
  test('appends batches in order and keeps the run counters in step', async () => {
    const { store, events } = makeStore();
    const run = await store.createRun({ name: '  demo  ', config: { H: 5 } });
    expect(run).toMatchObject({ name: 'demo', status: 'running', updates: 0, stage: 0 });

    const all = syntheticMetrics({ count: 700 });
    await store.appendMetrics(run.id, all.slice(0, 300));
    await store.appendMetrics(run.id, all.slice(300, 700));

    const loaded = await store.loadMetrics(run.id);
    expect(loaded).toHaveLength(700);
    // NaN rewards of stage 0 survive the round trip (structured clone, not JSON).
    expect(loaded[0].reward).toBeNaN();
    expect(loaded.map((m) => m.elapsed)).toEqual(all.map((m) => m.elapsed));

    const stored = (await store.getRun(run.id))!;
    expect(stored.updates).toBe(700);
    expect(stored.stage).toBe(1); // the last record is past the stage-1 start at 500
    expect(stored.config).toEqual({ H: 5 });
    expect(stored.metricsBytes).toBe(
      new TextEncoder().encode(JSON.stringify(all.slice(0, 300))).byteLength +
        new TextEncoder().encode(JSON.stringify(all.slice(300))).byteLength,
    );
    const appended = events.filter((e) => e.type === 'appended');
    expect(appended.map((e) => e.type === 'appended' && [e.start, e.records.length])).toEqual([
      [0, 300],
      [300, 400],
    ]);
  });

  test('appends issued without waiting still land in call order', async () => {
    const { store } = makeStore();
    const run = await store.createRun({ name: 'fast' });
    const all = syntheticMetrics({ count: 200 });
    await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        store.appendMetrics(run.id, all.slice(k * 20, k * 20 + 20)),
      ),
    );
    expect((await store.loadMetrics(run.id)).map((m) => m.elapsed)).toEqual(
      all.map((m) => m.elapsed),
    );
  });

  test('a full disk loses nothing stored and keeps the failed batch for a retry', async () => {
    const db = new MemoryRunDb();
    const { store, events } = makeStore(db);
    const run = await store.createRun({ name: 'big' });
    const all = syntheticMetrics({ count: 60 });
    await store.appendMetrics(run.id, all.slice(0, 20));
    const before = (await store.getRun(run.id))!;
    db.quotaBytes = before.metricsBytes + 10; // the next batch does not fit

    const failure = await store.appendMetrics(run.id, all.slice(20, 40)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageFullError);
    expect((failure as Error).message).toMatch(
      /storage is full.*20 updates of "big".*kept in memory/i,
    );
    expect(await store.loadMetrics(run.id)).toHaveLength(20);
    expect(await store.getRun(run.id)).toEqual(before);
    expect(store.pendingCount(run.id)).toBe(20);

    // Still full: the next batch joins the queue, in order.
    await expect(store.appendMetrics(run.id, all.slice(40, 50))).rejects.toThrow(StorageFullError);
    expect(store.pendingCount(run.id)).toBe(30);

    // Space is freed: the retry stores everything, in order, as one chunk.
    db.quotaBytes = Infinity;
    await store.retryPending(run.id);
    expect(store.pendingCount(run.id)).toBe(0);
    await store.appendMetrics(run.id, all.slice(50, 60));
    const loaded = await store.loadMetrics(run.id);
    expect(loaded.map((m) => m.elapsed)).toEqual(all.map((m) => m.elapsed));
    expect((await store.getRun(run.id))!.updates).toBe(60);
    const starts = events.flatMap((e) => (e.type === 'appended' ? [e.start] : []));
    expect(starts).toEqual([0, 20, 50]);
  });

  test('another storage failure also keeps the batch and says what happened', async () => {
    const db = new MemoryRunDb();
    const { store } = makeStore(db);
    const run = await store.createRun({ name: 'x' });
    const original = db.appendChunk.bind(db);
    db.appendChunk = async () => {
      throw new DOMException('The transaction was aborted.', 'AbortError');
    };
    await expect(store.appendMetrics(run.id, syntheticMetrics({ count: 5 }))).rejects.toThrow(
      /Could not save metrics \(The transaction was aborted\.\): 5 updates of "x" are kept/,
    );
    db.appendChunk = original;
    await store.retryPending(run.id);
    expect(await store.loadMetrics(run.id)).toHaveLength(5);
  });

  test('appending to a run that does not exist is refused', async () => {
    const { store } = makeStore();
    await expect(store.appendMetrics('nope', syntheticMetrics({ count: 1 }))).rejects.toThrow(
      /No run with id nope/,
    );
  });

  test('checkpoints: the latest is the highest (stage, update); sizes are counted once', async () => {
    const { store } = makeStore();
    const run = await store.createRun({ name: 'ckpt' });
    await store.saveCheckpoint(run.id, 0, 500, new ArrayBuffer(100));
    await store.saveCheckpoint(run.id, 1, 20, new ArrayBuffer(300));
    await store.saveCheckpoint(run.id, 1, 3, new ArrayBuffer(200));
    let latest = (await store.latestCheckpoint(run.id))!;
    expect([latest.stage, latest.update, latest.bytes, latest.data.byteLength]).toEqual([
      1, 20, 300, 300,
    ]);
    // Saving the same (stage, update) again replaces it.
    await store.saveCheckpoint(run.id, 1, 20, new ArrayBuffer(50));
    latest = (await store.latestCheckpoint(run.id))!;
    expect(latest.bytes).toBe(50);
    expect((await store.getRun(run.id))!.checkpointBytes).toBe(100 + 200 + 50);
  });

  test('a checkpoint that does not fit is refused with a clear message', async () => {
    const db = new MemoryRunDb({ quotaBytes: 1000 });
    const { store } = makeStore(db);
    const run = await store.createRun({ name: 'tight' });
    await expect(store.saveCheckpoint(run.id, 1, 7, new ArrayBuffer(2000))).rejects.toThrow(
      /storage is full: the checkpoint at stage 1, update 7 of "tight" was not saved/i,
    );
    expect(await store.latestCheckpoint(run.id)).toBeUndefined();
    expect((await store.getRun(run.id))!.checkpointBytes).toBe(0);
  });

  test('deleting a run removes its metrics, checkpoints and pending batch, and only those', async () => {
    const db = new MemoryRunDb();
    const { store, events } = makeStore(db);
    const a = await store.createRun({ name: 'a' });
    const b = await store.createRun({ name: 'b' });
    await store.appendMetrics(a.id, syntheticMetrics({ count: 10 }));
    await store.appendMetrics(b.id, syntheticMetrics({ count: 7 }));
    await store.saveCheckpoint(a.id, 0, 10, new ArrayBuffer(8));
    db.quotaBytes = 0;
    await expect(store.appendMetrics(a.id, syntheticMetrics({ count: 3 }))).rejects.toThrow();
    db.quotaBytes = Infinity;

    await store.deleteRun(a.id);
    expect((await store.listRuns()).map((r) => r.name)).toEqual(['b']);
    expect(await store.loadMetrics(a.id)).toEqual([]);
    expect(await store.latestCheckpoint(a.id)).toBeUndefined();
    expect(store.pendingCount(a.id)).toBe(0);
    expect(await store.loadMetrics(b.id)).toHaveLength(7);
    expect(events.at(-1)).toEqual({ type: 'deleted', id: a.id });
  });

  test('status changes keep the last error until the next status', async () => {
    const { store } = makeStore();
    const run = await store.createRun({ name: 's' });
    await store.setStatus(run.id, 'failed', 'device lost');
    expect((await store.getRun(run.id))!).toMatchObject({
      status: 'failed',
      lastError: 'device lost',
    });
    await store.setStatus(run.id, 'paused');
    expect((await store.getRun(run.id))!).toMatchObject({ status: 'paused', lastError: null });
  });

  test('lists newest first and reports storage: ours per run and the browser figures', async () => {
    const { store } = makeStore();
    const old = await store.createRun({ name: 'old' });
    const fresh = await store.createRun({ name: 'new' });
    await store.appendMetrics(old.id, syntheticMetrics({ count: 50 }));
    await store.saveCheckpoint(fresh.id, 1, 1, new ArrayBuffer(4096));
    expect((await store.listRuns()).map((r) => r.name)).toEqual(['new', 'old']);

    const use = await store.storageEstimate();
    const oldBytes = (await store.getRun(old.id))!.metricsBytes;
    expect(use.runs).toEqual([
      { id: fresh.id, name: 'new', bytes: 4096 },
      { id: old.id, name: 'old', bytes: oldBytes },
    ]);
    expect(use.runBytes).toBe(4096 + oldBytes);
    expect(use).toMatchObject({ usage: 12_345, quota: 1_000_000, persistent: false });
  });

  test('storage figures survive a browser that refuses estimate()', async () => {
    const store = new RunStore(new MemoryRunDb(), {
      estimate: async () => {
        throw new Error('not allowed');
      },
    });
    await store.createRun({ name: 'p' });
    expect(await store.storageEstimate()).toMatchObject({ usage: null, quota: null, runBytes: 0 });
  });

  test('loads 10,000 records in 500 chunks quickly', async () => {
    const { store } = makeStore();
    const run = await store.createRun({ name: 'long' });
    const all = syntheticMetrics({ count: 10_000 });
    for (let k = 0; k < 500; k++) await store.appendMetrics(run.id, all.slice(k * 20, k * 20 + 20));
    const t0 = performance.now();
    const loaded = await store.loadMetrics(run.id);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(loaded).toHaveLength(10_000);
    expect(loaded[9_999].elapsed).toBe(all[9_999].elapsed);
  });
});

// Keep the interface honest: the memory db copies values like IndexedDB's structured clone.
test('MemoryRunDb stores copies, not the caller\u2019s objects', async () => {
  const db = new MemoryRunDb();
  const run: RunRecord = {
    id: 'r',
    name: 'n',
    created: 0,
    config: { a: 1 },
    status: 'running',
    stage: 0,
    updates: 0,
    lastError: null,
    metricsBytes: 0,
    checkpointBytes: 0,
  };
  await db.putRun(run);
  (run.config as { a: number }).a = 2;
  expect((await db.getRun('r'))!.config).toEqual({ a: 1 });
  const chunk: MetricsChunk = { runId: 'r', start: 0, records: syntheticMetrics({ count: 1 }) };
  await db.appendChunk({ ...run, updates: 1 }, chunk);
  chunk.records[0].loss = 99;
  expect((await db.loadChunks('r'))[0].records[0].loss).not.toBe(99);
  const cp: CheckpointRecord = {
    runId: 'r',
    stage: 0,
    update: 1,
    saved: 0,
    bytes: 1,
    data: new ArrayBuffer(1),
  };
  await db.putCheckpoint(run, cp);
  expect((await db.latestCheckpoint('r'))!.data).not.toBe(cp.data);
});
