// What the trainer worker holds between calls, shared by every file that adds commands to its
// API (training-api.ts; the viewer's commands read the same weights): the page's address, the
// event sink, the backend, the vocabulary, the current run and any loaded checkpoint. GPU
// objects live here and never leave the worker.
import type { Vocab } from '../../text/vocab';
import type { CheckpointState } from '../../rl/model/checkpoint';
import type { TrainerEvents } from '../trainer-api';
import { plannerConfigOf, type TrainSettings } from '../../rl/config/schema';
import { plannerStepProbe } from '../../rl/model/step-probe';
import { acquireBackend, type AcquiredBackend } from './backend';
import { fetchVocab } from './assets';
import type { TrainingSession } from './session';

export interface WorkerContext {
  /** The page's address: site files (models/…) resolve against it. */
  base: string;
  /** The page's callbacks (a comlink proxy: every call is a message, answered later). */
  events: TrainerEvents | null;
  backend: AcquiredBackend | null;
  session: TrainingSession | null;
  /** A checkpoint given to load(), used when there is no run. */
  loaded: CheckpointState | null;
}

export const ctx: WorkerContext = {
  base: '',
  events: null,
  backend: null,
  session: null,
  loaded: null,
};

let vocab: Promise<Vocab> | null = null;

export function siteVocab(): Promise<Vocab> {
  vocab ??= fetchVocab(ctx.base).catch((e: unknown) => {
    vocab = null; // a failed fetch (offline, first visit) may succeed later
    throw e;
  });
  return vocab;
}

/**
 * The backend of this kind, kept across runs (one device per worker). Another kind, or a
 * device that was lost, gives a fresh one; `onLost` hears about a loss.
 */
export async function backendFor(
  settings: TrainSettings,
  vocabSize: number,
  onLost: (message: string) => void,
): Promise<AcquiredBackend> {
  const setting = settings.run.backend;
  const have = ctx.backend;
  const wanted = have && have.report.decision.setting === setting;
  if (have && wanted) return have;
  have?.be.destroy();
  const probe = plannerStepProbe(plannerConfigOf(settings), vocabSize);
  const acquired = await acquireBackend(setting, probe);
  ctx.backend = acquired;
  acquired.onLost((message) => {
    if (ctx.backend === acquired) ctx.backend = null;
    onLost(message);
  });
  return acquired;
}

/** The weights the worker would show or evaluate now: the run's newest, else a loaded one. */
export function currentWeights(): CheckpointState | null {
  return ctx.session?.latest ?? ctx.loaded;
}
