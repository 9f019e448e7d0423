// The Train page's state. This class owns the trainer worker and the page's side of a run:
// it starts, pauses, resumes and stops runs through comlink, appends each metrics batch to
// the dashboard and to the run history (IndexedDB), stores every checkpoint the worker hands
// over, and lists the runs that can resume after a reload. Components read these fields and
// call these methods; no training logic lives here.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import { validateSettings, type TrainSettings } from '../../rl/config/schema';
import type { Stage, UpdateMetrics } from '../../rl/metrics';
import type { TrainerApi } from '../../workers/trainer.worker';
import type {
  BackendReport,
  CheckpointMessage,
  Evaluation,
  RunState,
  TrainerEvents,
  TrainerStatus,
} from '../../workers/trainer-api';
import { openRunStore } from '../runs/open';
import type { RunRecord, RunStatus, RunStore } from '../runs/store';
import { exposeForTests } from '../runs/test-hook';
import { newRecords, recentMean, type Position } from '../train/records';
import { measuredSeconds, SpeedBook, speedKey } from '../train/speed';
import { DashboardState } from './dashboard.svelte';
import { checkpointNotStoredWarning } from './checkpoint-warning';
import { replayNote } from './replay-note';
import { waitFor, type Wait } from './wait';

const IDLE: TrainerStatus = {
  state: 'idle',
  stage: null,
  update: 0,
  updates: 0,
  plan: [],
  message: null,
  backend: null,
};

/** How a worker state is kept in the run history. */
const STORED: Record<RunState, RunStatus | null> = {
  idle: null,
  starting: 'running',
  running: 'running',
  pausing: null,
  paused: 'paused',
  'device-lost': 'paused',
  stopped: 'finished',
  finished: 'finished',
  failed: 'failed',
};

/** A stored run's settings, or null for a run stored without valid ones (no speed kept). */
function settingsOrNull(config: unknown): TrainSettings | null {
  try {
    return config ? validateSettings(config) : null;
  } catch {
    return null;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class TrainState {
  status = $state.raw<TrainerStatus>(IDLE);
  backend = $state.raw<BackendReport | null>(null);
  runId = $state<string | null>(null);
  runName = $state('');
  planned = $state.raw<readonly [number, number, number] | undefined>(undefined);
  /** About the plan (e.g. "stage 1 starts from the shipped stage-0 checkpoint"). */
  note = $state<string | null>(null);
  /** A command that failed, in words. */
  error = $state<string | null>(null);
  /** Storage trouble (full disk): what was kept and what was not. */
  storageWarning = $state<string | null>(null);
  /** Why the run history is not saved in this session (no IndexedDB). */
  historyUnavailable = $state<string | null>(null);
  /** Runs left paused or interrupted (the page closed while training), newest first. */
  resumable = $state.raw<RunRecord[]>([]);
  /** Milliseconds from pressing start to the first chart point. */
  firstPointMs = $state<number | null>(null);
  lastEvaluation = $state.raw<Evaluation | null>(null);
  /** A command is on its way to the worker. */
  busy = $state(false);
  /** A wait the page shows progress for (starting, replaying a stored run, evaluating). */
  wait = $state.raw<Wait | null>(null);

  readonly dashboard = new DashboardState();
  /** Seconds per update measured on this device (kept across visits), for time estimates. */
  readonly speed = new SpeedBook(typeof localStorage === 'undefined' ? null : localStorage);
  /** Bumped when a speed is recorded, so estimates read again. */
  speedVersion = $state(0);
  /** The settings of the run shown (fresh or resumed): what its speed is recorded under. */
  runSettings = $state.raw<TrainSettings | null>(null);

  state = $derived(this.status.state);
  training = $derived(
    this.status.state === 'starting' ||
      this.status.state === 'running' ||
      this.status.state === 'pausing',
  );
  canResume = $derived(this.status.state === 'paused' || this.status.state === 'device-lost');
  /** The latest update shown (stage and update within it): the curves lead the status. */
  position = $derived.by((): { stage: Stage | null; update: number; updates: number } => {
    const { length, stage, update } = this.dashboard.columns;
    const s = length > 0 ? (stage[length - 1] as Stage) : this.status.stage;
    const u = length > 0 ? update[length - 1] : this.status.update;
    const fromStatus = this.status.stage === s && this.status.update > u;
    return {
      stage: s,
      update: fromStatus ? this.status.update : u,
      updates: s === null ? 0 : (this.planned?.[s] ?? this.status.updates),
    };
  });
  /** Updates per second over the last few updates, as the trainer measured them. */
  updatesPerSecond = $derived(
    recentMean(this.dashboard.columns.scalars.updatesPerSecond, this.dashboard.columns.length, 10),
  );
  tokensPerSecond = $derived(
    recentMean(this.dashboard.columns.scalars.tokensPerSecond, this.dashboard.columns.length, 10),
  );

  #store: RunStore | null = null;
  /** A resumed run is recomputing updates whose metrics are already stored. */
  #replaying = false;
  #worker: Worker | null = null;
  #api: Remote<TrainerApi> | null = null;
  #last: Position | null = null;
  #startedAt: number | null = null;
  #disposed = false;
  #ready: Promise<void> | null = null;
  #speedRecordedAt = 0;

  /** Open the run history (once); commands wait for it. */
  init(): Promise<void> {
    this.#ready ??= this.#open();
    return this.#ready;
  }

  async #open(): Promise<void> {
    const { store, error } = await openRunStore();
    if (this.#disposed) return;
    this.#store = store;
    this.historyUnavailable = error;
    exposeForTests('train', { state: this, store });
    await this.refreshResumable();
  }

  async refreshResumable(): Promise<void> {
    const store = this.#store;
    if (!store) return;
    const runs = await store.listRuns();
    this.resumable = runs.filter(
      (r) => (r.status === 'paused' || r.status === 'running') && r.id !== this.runId,
    );
  }

  /** Start a fresh run with these settings at `stage` ('auto': stage 1 when the shipped checkpoint fits). */
  async start(settings: TrainSettings, stage: Stage | 'auto', name: string): Promise<void> {
    await this.#command('start the run', async () => {
      const store = await this.#requireStore();
      const api = this.#connect();
      this.#beginRun();
      this.wait = waitFor('Starting: preparing the backend and the model');
      this.status = { ...IDLE, state: 'starting' };
      const run = await store.createRun({ name, config: settings });
      this.runSettings = settings;
      this.runId = run.id;
      this.runName = run.name;
      const started = await api.start(settings, { kind: 'fresh', stage });
      this.#started(started.planned, started.backend, started.note);
    });
  }

  /** Continue a stored run from its latest checkpoint. */
  async resumeRun(id: string): Promise<void> {
    await this.#command('resume the run', async () => {
      const store = await this.#requireStore();
      const run = await store.getRun(id);
      const latest = await store.latestCheckpoint(id);
      if (!run || !latest)
        throw new Error('this run has no checkpoint yet, so there is nothing to resume from');
      const start = await store.checkpointAt(id, latest.stage, 0);
      if (!start) throw new Error(`the start checkpoint of stage ${latest.stage} is missing`);
      const api = this.#connect();
      this.#beginRun();
      const since = performance.now();
      this.wait = { label: 'Loading the run’s history', step: 0, steps: 3, since };
      const records = await store.loadMetrics(id);
      this.wait = {
        label: `Replaying ${records.length} updates into the charts`,
        step: 1,
        steps: 3,
        since,
      };
      this.dashboard.reset(records);
      this.wait = { label: 'Restarting training from the checkpoint', step: 2, steps: 3, since };
      const last = records[records.length - 1];
      this.#last = last ? { stage: last.stage, update: last.update } : null;
      this.runId = id;
      this.runName = run.name;
      this.runSettings = settingsOrNull(run.config);
      this.status = { ...IDLE, state: 'starting', stage: latest.stage, update: latest.update };
      const started = await api.start(
        null,
        transfer({ kind: 'resume', checkpoint: latest.data, start: start.data }, [
          latest.data,
          start.data,
        ]),
      );
      const done = this.dashboard.done;
      const replay = replayNote(latest, this.#last);
      this.#replaying = replay !== null;
      this.#started(
        started.planned.map((n, s) => n || done[s]) as [number, number, number],
        started.backend,
        replay,
      );
      await this.refreshResumable();
    });
  }

  pause = () => this.#command('pause', (api) => api.pause());
  resume = () => this.#command('resume', (api) => api.resume());
  singleUpdate = () => this.#command('take a single update', (api) => api.singleUpdate());
  stop = () => this.#command('stop the run', (api) => api.stop());

  async evaluate(): Promise<void> {
    this.wait = waitFor('Evaluating the current weights on held-out tasks');
    await this.#command('evaluate', async (api) => {
      this.lastEvaluation = await api.evaluate();
    });
    this.wait = null;
  }

  /** The worker's API, for views that add their own commands to it (e.g. the agent viewer). */
  worker(): Remote<TrainerApi> {
    return this.#connect();
  }

  dispose(): void {
    this.#disposed = true;
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
  }

  // --- worker events -------------------------------------------------------------------------

  #onMetrics(batch: UpdateMetrics[]): void {
    const fresh = newRecords(batch, this.#last);
    if (fresh.length === 0 || this.runId === null) return;
    if (this.#replaying) {
      this.#replaying = false; // past the stored curve: the replay is over
      this.note = null;
    }
    const last = fresh[fresh.length - 1];
    this.#last = { stage: last.stage, update: last.update };
    if (this.firstPointMs === null && this.#startedAt !== null)
      this.firstPointMs = performance.now() - this.#startedAt;
    if (this.wait && this.status.state !== 'paused') this.wait = null;
    this.dashboard.append(fresh);
    this.#recordSpeed(last.stage);
    // Called synchronously, so the store queues batches and checkpoints in arrival order.
    this.#store?.appendMetrics(this.runId, fresh).then(
      () => {
        if (this.storageWarning && this.#store?.pendingCount(this.runId!) === 0)
          this.storageWarning = null;
      },
      (e: unknown) => (this.storageWarning = message(e)),
    );
  }

  /** Returned to the worker: it waits until the checkpoint is stored (or refused). */
  #onCheckpoint(c: CheckpointMessage): Promise<void> {
    const store = this.#store;
    const id = this.runId;
    if (!store || !id) return Promise.resolve();
    return store.saveCheckpoint(id, c.stage, c.update, c.bytes).catch(async (e: unknown) => {
      const kept = await store.latestCheckpoint(id).catch(() => undefined);
      this.storageWarning = checkpointNotStoredWarning(message(e), kept);
    });
  }

  #onStatus(s: TrainerStatus): void {
    this.status = s;
    // A start or resume that ends before its first update ends its wait too.
    if (s.state !== 'starting' && s.state !== 'running' && !this.busy) this.wait = null;
    if (s.backend) this.backend = s.backend;
    const stored = STORED[s.state];
    if (stored && this.runId && this.#store) {
      const id = this.runId;
      const note = s.state === 'device-lost' || s.state === 'failed' ? s.message : undefined;
      this.#store.setStatus(id, stored, note ?? undefined).catch((e: unknown) => {
        this.storageWarning = message(e);
      });
    }
  }

  /** At most every few seconds: the measured seconds per update of the stage training now. */
  #recordSpeed(stage: Stage): void {
    const now = performance.now();
    if (!this.runSettings || now - this.#speedRecordedAt < 3000) return;
    this.#speedRecordedAt = now;
    const m = measuredSeconds(this.dashboard.columns, stage);
    if (!m) return;
    this.speed.record(speedKey(this.runSettings, stage), m);
    this.speedVersion++;
  }

  // --- plumbing --------------------------------------------------------------------------------

  #beginRun(): void {
    this.#replaying = false;
    this.error = null;
    this.note = null;
    this.storageWarning = null;
    this.lastEvaluation = null;
    this.firstPointMs = null;
    this.#last = null;
    this.#startedAt = performance.now();
    this.dashboard.reset();
  }

  #started(planned: [number, number, number], backend: BackendReport, note: string | null): void {
    this.planned = planned;
    this.backend = backend;
    this.note = note;
  }

  async #requireStore(): Promise<RunStore> {
    await this.init();
    if (!this.#store) throw new Error('the run history did not open');
    return this.#store;
  }

  async #command(what: string, job: (api: Remote<TrainerApi>) => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await job(this.#connect());
      this.error = null;
    } catch (e) {
      this.error = `Could not ${what}: ${message(e)}`;
      this.wait = null;
    } finally {
      this.busy = false;
    }
  }

  #connect(): Remote<TrainerApi> {
    if (this.#api) return this.#api;
    // Vite bundles the worker only from this literal `new URL(..., import.meta.url)` form.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const worker = new Worker(new URL('../../workers/trainer.worker.ts', import.meta.url), {
      type: 'module',
      name: 'trainer',
    });
    worker.addEventListener('error', (ev) => {
      this.error = `The trainer worker failed: ${ev.message || 'it could not start'}`;
      this.status = { ...this.status, state: 'failed' };
    });
    const api = wrap<TrainerApi>(worker);
    const events: TrainerEvents = {
      metrics: (batch) => this.#onMetrics(batch),
      checkpoint: (c) => this.#onCheckpoint(c),
      status: (s) => this.#onStatus(s),
    };
    void api.connect(document.baseURI, proxy(events));
    this.#worker = worker;
    this.#api = api;
    return api;
  }
}

let shared: TrainState | null = null;

/** The page's one trainer: it outlives the Train view, so a run goes on while other views show. */
export function sharedTrainState(): TrainState {
  if (!shared) {
    // Created in a root of its own: deriveds made while a component initialises would belong
    // to that component and go stale when it unmounts (the user switched views).
    $effect.root(() => {
      shared = new TrainState();
    });
    void shared!.init();
  }
  return shared!;
}
