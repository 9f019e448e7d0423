// The Runs view's state: the list of stored runs, the opened run's curves (and a second run
// to compare), storage use, deletion. It follows the store's change events, so a run that is
// being trained (or a test appending metrics) updates its curves live.
import { formatBytes } from '../runs/format';
import { downloadBytes, exportRun, importRun } from '../runs/transfer';
import { waitFor, type Wait } from './wait';
import { DashboardState } from './dashboard.svelte';
import type { UpdateMetrics } from '../../rl/metrics';
import { openRunStore } from '../runs/open';
import { runBytes, type RunEvent, type RunRecord, type RunStore } from '../runs/store';
import { exposeForTests } from '../runs/test-hook';

const ESTIMATE_EVERY_MS = 2000;

export class RunsState {
  runs = $state.raw<RunRecord[]>([]);
  ready = $state(false);
  /** Why history is kept in memory only (no IndexedDB); null when it is saved. */
  unavailable = $state<string | null>(null);
  /** The last action that failed, in words. */
  error = $state<string | null>(null);
  /** The browser's figures for this origin, when it gives them. */
  browserUsage = $state.raw<{ usage: number | null; quota: number | null }>({
    usage: null,
    quota: null,
  });
  openId = $state<string | null>(null);
  compareId = $state<string | null>(null);
  loading = $state(false);
  /** An export or import in progress. */
  transfer = $state.raw<Wait | null>(null);
  /** What the last export or import did, in words. */
  notice = $state<string | null>(null);

  readonly primary = new DashboardState();
  readonly secondary = new DashboardState();

  openRun = $derived(this.runs.find((r) => r.id === this.openId) ?? null);
  compareRun = $derived(this.runs.find((r) => r.id === this.compareId) ?? null);
  /** Our own count of the bytes all runs take. */
  historyBytes = $derived(this.runs.reduce((n, r) => n + runBytes(r), 0));

  #store: RunStore | null = null;
  #unsubscribe: (() => void) | null = null;
  #lastEstimate = -Infinity;
  /** Dashboards being (re)loaded: live records wait; a gap found later triggers a reload. */
  // Not reactive on purpose: `loading` is the field the view reads.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #loadingInto = new Set<DashboardState>();
  #disposed = false;

  async init(): Promise<void> {
    const { store, error } = await openRunStore();
    if (this.#disposed) return;
    this.#store = store;
    this.unavailable = error;
    this.#unsubscribe = store.subscribe((e) => this.#onEvent(e));
    exposeForTests('runs', { store, state: this });
    await this.refresh();
    this.ready = true;
  }

  async refresh(): Promise<void> {
    const store = this.#store;
    if (!store) return;
    await this.#attempt('list the runs', async () => {
      this.runs = await store.listRuns();
      await this.#estimate();
    });
  }

  /** Show a run's curves (null closes it, and the comparison). */
  async open(id: string | null): Promise<void> {
    this.openId = id;
    if (id === this.compareId || id === null) await this.setCompare(null);
    await this.#load(this.primary, () => this.openId, id);
  }

  /** Overlay a second run's curves on the opened one (null stops comparing). */
  async setCompare(id: string | null): Promise<void> {
    this.compareId = id;
    await this.#load(this.secondary, () => this.compareId, id);
  }

  /** Save a run (settings, metrics, latest checkpoint) as one file the browser downloads. */
  async exportRun(id: string): Promise<void> {
    const store = this.#store;
    if (!store) return;
    this.transfer = waitFor('Writing the run file');
    await this.#attempt('export the run', async () => {
      const { bytes, fileName } = await exportRun(store, id);
      downloadBytes(bytes, fileName);
      this.notice = `Exported as ${fileName} (${formatBytes(bytes.length)}).`;
    });
    this.transfer = null;
  }

  /** Check a run file and store it as a paused run; refusals name what is wrong. */
  async importFile(file: File): Promise<void> {
    const store = this.#store;
    if (!store) return;
    this.notice = null;
    this.transfer = waitFor(`Checking ${file.name}`);
    await this.#attempt(`import ${file.name}`, async () => {
      const run = await importRun(store, await file.arrayBuffer());
      this.notice = `Imported “${run.name}” (${run.updates} updates): resume it on the Train page.`;
    });
    this.transfer = null;
  }

  async remove(id: string): Promise<void> {
    const store = this.#store;
    if (!store) return;
    await this.#attempt('delete the run', async () => {
      await store.deleteRun(id);
      await this.#estimate(true);
    });
  }

  dispose(): void {
    this.#disposed = true;
    this.#unsubscribe?.();
  }

  async #load(into: DashboardState, current: () => string | null, id: string | null) {
    const store = this.#store;
    if (!store || id === null) {
      into.reset();
      return;
    }
    this.loading = true;
    this.#loadingInto.add(into);
    await this.#attempt('load the run', async () => {
      const records = await store.loadMetrics(id);
      if (current() === id) into.reset(records); // another open() may have superseded this one
    });
    this.#loadingInto.delete(into);
    this.loading = this.#loadingInto.size > 0;
  }

  #onEvent(e: RunEvent): void {
    if (e.type === 'deleted') {
      this.runs = this.runs.filter((r) => r.id !== e.id);
      if (this.compareId === e.id) void this.setCompare(null);
      if (this.openId === e.id) void this.open(null);
      return;
    }
    const i = this.runs.findIndex((r) => r.id === e.run.id);
    this.runs = i < 0 ? [e.run, ...this.runs] : this.runs.map((r, k) => (k === i ? e.run : r));
    if (e.type === 'appended') {
      if (e.run.id === this.openId) this.#follow(this.primary, e.run.id, e.start, e.records);
      if (e.run.id === this.compareId) this.#follow(this.secondary, e.run.id, e.start, e.records);
      void this.#estimate();
    }
  }

  /** Append newly stored records to a shown run, or reload it if we missed some. */
  #follow(into: DashboardState, id: string, start: number, records: UpdateMetrics[]): void {
    if (this.#loadingInto.has(into)) return;
    const have = into.columns.length;
    if (start > have) {
      void this.#load(into, () => (into === this.primary ? this.openId : this.compareId), id);
    } else if (start + records.length > have) {
      into.append(records.slice(have - start));
    }
  }

  async #estimate(force = false): Promise<void> {
    const store = this.#store;
    const now = performance.now();
    if (!store || (!force && now - this.#lastEstimate < ESTIMATE_EVERY_MS)) return;
    this.#lastEstimate = now;
    const use = await store.storageEstimate();
    this.browserUsage = { usage: use.usage, quota: use.quota };
  }

  async #attempt(what: string, job: () => Promise<void>): Promise<void> {
    try {
      await job();
      this.error = null;
    } catch (e) {
      this.error = `Could not ${what}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
