// The training commands of the trainer worker: connect, start (fresh or resuming a stored
// run), pause, resume, a single update, stop, evaluate, save and load. The page calls them
// through comlink; progress comes back through the TrainerEvents proxy given to connect().
import { transfer } from 'comlink';
import { validateSettings, type TrainSettings } from '../../rl/config/schema';
import type { Stage } from '../../rl/metrics';
import {
  decodeCheckpoint,
  decodeStoredCheckpoint,
  encodeCheckpoint,
  type CheckpointState,
} from '../../rl/model/checkpoint';
import { perStage, STAGE, stagesFrom, stageUpdates } from '../../rl/stage-list';
import { evaluateCheckpoint } from '../../rl/stage-run';
import { registeredStages } from '../../rl/stages';
import { runMetaOf } from '../../rl/trainer';
import {
  METRICS_INTERVAL_MS,
  type CheckpointMessage,
  type CheckpointSummary,
  type Evaluation,
  type StartFrom,
  type StartResult,
  type TrainerEvents,
  type TrainerStatus,
} from '../trainer-api';
import { fetchShippedStage0, shippedMismatch, shippedStage0Url } from './assets';
import type { AcquiredBackend } from './backend';
import { backendFor, ctx, currentWeights, siteVocab } from './context';
import { MetricsStream } from './metrics-stream';
import { TrainingSession } from './session';

let stream: MetricsStream | null = null;
/** The backend the session trains on (replaced after a device loss). */
let sessionBackend: AcquiredBackend | null = null;

function statusOf(): TrainerStatus {
  const s = ctx.session;
  return {
    state: s?.state ?? 'idle',
    stage: s?.stage ?? null,
    update: s?.update ?? 0,
    updates: s?.updates ?? 0,
    plan: s?.plan ?? [],
    message: s?.message ?? null,
    backend: ctx.backend?.report ?? null,
  };
}

function events(): TrainerEvents {
  if (!ctx.events) throw new Error('the trainer worker is not connected: call connect() first');
  return ctx.events;
}

function announce(): void {
  void events().status(statusOf());
}

function toMessage(
  stage: Stage,
  update: number,
  kind: CheckpointMessage['kind'],
  state: CheckpointState,
): CheckpointMessage {
  const bytes = encodeCheckpoint(state);
  const buffer = bytes.buffer as ArrayBuffer;
  return transfer({ stage, update, kind, bytes: buffer }, [buffer]);
}

function plannedUpdates(settings: TrainSettings, plan: Stage[]): [number, number, number] {
  return perStage((s) => (plan.includes(s) ? stageUpdates(settings, s) : 0)) as [
    number,
    number,
    number,
  ];
}

/** Fresh runs: where they begin and from which weights. */
async function freshPlan(
  settings: TrainSettings,
  asked: Stage | 'auto',
): Promise<{ plan: Stage[]; init?: CheckpointState; note: string | null }> {
  if (asked === STAGE.sft) return { plan: stagesFrom(STAGE.sft), note: null };
  const vocab = await siteVocab();
  const shipped = await fetchShippedStage0(ctx.base, shippedStage0Url(settings));
  const why = shipped.available
    ? shippedMismatch(shipped.state, settings, vocab)
    : `there is no shipped stage-0 checkpoint (${shipped.reason})`;
  if (why === null && shipped.available) {
    const first: Stage = asked === 'auto' ? STAGE.trajectory : asked;
    if (!registeredStages().includes(first))
      return {
        plan: stagesFrom(STAGE.sft),
        note: `Stage ${first} is not available in this build; the run starts with the warm start.`,
      };
    return {
      plan: stagesFrom(first),
      init: shipped.state,
      note: `Stage ${first} starts from the shipped stage-0 checkpoint.`,
    };
  }
  return {
    plan: stagesFrom(STAGE.sft),
    note:
      asked === 'auto'
        ? `The run starts with the warm start (stage ${STAGE.sft}): ${why}.`
        : `Stage ${asked} cannot start from the shipped stage-0 checkpoint (${why}), so the run starts with the warm start.`,
  };
}

function sessionSink() {
  const ev = events();
  stream = new MetricsStream((batch) => void ev.metrics(batch), METRICS_INTERVAL_MS);
  const s = stream;
  return {
    metrics: (m: Parameters<MetricsStream['push']>[0]) => s.push(m),
    // Metrics first, then the checkpoint: the page stores them in this order, so a stored
    // checkpoint never runs ahead of the stored curves.
    checkpoint: async (
      stage: Stage,
      update: number,
      kind: CheckpointMessage['kind'],
      state: CheckpointState,
    ) => {
      s.flush();
      await ev.checkpoint(toMessage(stage, update, kind, state));
    },
    state: () => {
      s.flush();
      announce();
    },
  };
}

function requireSession(): TrainingSession {
  if (!ctx.session) throw new Error('no run: start one first');
  return ctx.session;
}

function onDeviceLost(message: string): void {
  ctx.session?.deviceLost(message);
}

/** How long a failed update waits to learn whether its device is being lost. */
const LOSS_GRACE_MS = 1000;

/** For TrainingSession's deviceLoss: the backend's loss message if it arrives in the grace. */
function lossOf(acquired: AcquiredBackend): () => Promise<string | null> {
  return () =>
    new Promise((resolve) => {
      let unsubscribe = () => {};
      const timer = setTimeout(() => {
        unsubscribe();
        resolve(null);
      }, LOSS_GRACE_MS);
      unsubscribe = acquired.onLost((message) => {
        clearTimeout(timer);
        unsubscribe();
        resolve(message);
      });
    });
}

export const trainingApi = {
  /** Once per worker: the page's address (for models/…) and the event sink (a comlink proxy). */
  connect(base: string, sink: TrainerEvents): TrainerStatus {
    ctx.base = base;
    ctx.events = sink;
    return statusOf();
  },

  status(): TrainerStatus {
    return statusOf();
  },

  /** Start a run (fresh, or resuming a stored one) and return its plan; training goes on. */
  async start(settingsInput: unknown, from: StartFrom): Promise<StartResult> {
    if (ctx.session?.active) throw new Error('a run is training: pause or stop it first');
    let settings: TrainSettings;
    let plan: Stage[];
    let init: CheckpointState | undefined;
    let resume: { checkpoint: CheckpointState; start: CheckpointState } | undefined;
    let note: string | null = null;
    if (from.kind === 'resume') {
      // The run history's own bytes: an older build's version-1 checkpoints still resume.
      const checkpoint = decodeStoredCheckpoint(from.checkpoint, { source: 'of the stored run' });
      const meta = runMetaOf(checkpoint);
      settings = meta.settings;
      plan = stagesFrom(meta.stage);
      const start = decodeStoredCheckpoint(from.start, { source: 'of the stored run (start)' });
      resume = { checkpoint, start };
    } else {
      settings = validateSettings(settingsInput);
      ({ plan, init, note } = await freshPlan(settings, from.stage));
    }
    const vocab = resume ? resume.checkpoint.vocab : (init?.vocab ?? (await siteVocab()));
    const acquired = await backendFor(settings, vocab.size, onDeviceLost);
    const { be, report } = acquired;
    sessionBackend = acquired;
    ctx.session = new TrainingSession({
      be,
      vocab,
      settings,
      plan,
      init,
      resume,
      sink: sessionSink(),
      deviceLoss: () => (sessionBackend ? lossOf(sessionBackend)() : Promise.resolve(null)),
    });
    void ctx.session.run();
    return { plan, planned: plannedUpdates(settings, plan), settings, backend: report, note };
  },

  /** Resolves once paused, after the paused state's checkpoint was handed to the page. */
  async pause(): Promise<void> {
    await requireSession().pause();
  },

  /** Continue a paused run (on a new device if the old one was lost). */
  async resume(): Promise<void> {
    const session = requireSession();
    if (session.active) return;
    if (session.state === 'device-lost') {
      const vocabSize = (await siteVocab()).size;
      sessionBackend = await backendFor(session.settings, vocabSize, onDeviceLost);
      session.replaceBackend(sessionBackend.be);
    }
    void session.run();
  },

  /** One update, then paused again; resolves when it is done. */
  async singleUpdate(): Promise<void> {
    const session = requireSession();
    if (session.state === 'device-lost') {
      const vocabSize = (await siteVocab()).size;
      sessionBackend = await backendFor(session.settings, vocabSize, onDeviceLost);
      session.replaceBackend(sessionBackend.be);
    }
    await session.singleUpdate();
  },

  async stop(): Promise<void> {
    await requireSession().stop();
  },

  /** Held-out evaluation of the newest weights (the run must not be training). */
  async evaluate(): Promise<Evaluation> {
    const session = ctx.session;
    if (session?.active) throw new Error('pause the run before evaluating');
    const weights = currentWeights();
    if (!weights) throw new Error('no weights to evaluate: start a run or load a checkpoint');
    const meta = session ? null : runMetaOf(weights);
    const settings = session?.settings ?? meta!.settings;
    const stage = session?.stage ?? meta!.stage;
    const { be } = await backendFor(settings, weights.vocab.size, onDeviceLost);
    return evaluateCheckpoint(be, weights, settings, stage, weights.vocab);
  },

  /** The newest checkpoint's bytes (transferred); a training run pauses for it and goes on. */
  async save(): Promise<CheckpointMessage> {
    const session = ctx.session;
    const wasTraining = session?.active ?? false;
    if (wasTraining) await session!.pause();
    try {
      const weights = currentWeights();
      if (!weights) throw new Error('nothing to save: start a run or load a checkpoint');
      const meta = runMetaOf(weights);
      return toMessage(meta.stage, meta.update, 'save', weights);
    } finally {
      if (wasTraining) void session!.run();
    }
  },

  /** Read a checkpoint file (verified; a bad one is refused naming what is wrong). */
  load(bytes: ArrayBuffer): CheckpointSummary {
    const state = decodeCheckpoint(bytes);
    ctx.loaded = state;
    let meta: ReturnType<typeof runMetaOf> | null = null;
    try {
      meta = runMetaOf(state);
    } catch {
      // A checkpoint without run metadata still has weights to show.
    }
    let params = 0;
    for (const t of state.tensors.params.values()) params += t.length;
    return {
      stage: meta?.stage ?? null,
      update: meta?.update ?? null,
      step: state.step,
      params,
      settings: meta?.settings ?? null,
    };
  },

  /** Tests only: destroy the GPU device as a driver reset would. */
  debugLoseDevice(): void {
    const be = ctx.backend?.be as { rt?: { device?: GPUDevice } } | undefined;
    be?.rt?.device?.destroy();
  },
};
