// The trainer: runs one stage for N updates on a Backend, from settings. It owns the planner
// and the loop; what an update does belongs to the stage's runner (stages.ts). Per update it
// emits UpdateMetrics, evaluates every `run.evalEvery` updates and at the end, and hands
// checkpoints to a sink at the start of the stage, every `run.checkpointEvery` updates, after
// every `run.checkpointSeconds` of training and at the end (files in Node, IndexedDB in the
// browser: the trainer only makes the bytes' state). A crash loses at most that interval.
//
// Exact resume: a checkpoint holds the parameters, AdamW moments and step, the settings, the
// stage and the update reached. Every random draw of update n comes from streamRng(seed,
// stage, n, …) and the learning rate from the update index, so that cursor is the whole run
// state: a resumed run continues bit for bit. Resuming refuses other settings, another stage,
// model or vocabulary, naming what differs.
//
// A non-finite loss or gradient norm, or one beyond run.divergenceFactor × its running median
// (divergence.ts), stops the run with a DivergenceError naming the update and why; checkpoints
// are only taken from states that passed, so the last one saved stays good.
import type { Backend } from '../kernels/backend';
import { plannerConfigOf, toFlat, validateSettings, type TrainSettings } from './config/schema';
import { streamRng } from './data/streams';
import type { Vocab } from '../text/vocab';
import type { Stage, UpdateMetrics } from './metrics';
import {
  captureCheckpoint,
  CheckpointError,
  restoreCheckpoint,
  type CheckpointState,
} from './model/checkpoint';
import type { PlannerConfig } from './model/config';
import { Planner, type OptimizerSettings } from './model/planner';
import { appendsTo, extendVocabulary } from './model/extend-vocab';
import { DivergenceGuard } from './divergence';
import { scheduledLr } from './schedule';
import { isStage, STAGE, stageLearningRate, stageUpdates } from './stage-list';
import { createStageRunner } from './stage-run';
import type { Evaluation, StageDefinition, StageRunner } from './stage-types';
import { stageDefinition } from './stages';

export const RUN_META_FORMAT = 'tracelab-run/1';

/** What a trainer checkpoint carries besides the model (CheckpointState.meta). */
export interface RunMeta {
  format: typeof RUN_META_FORMAT;
  stage: Stage;
  /** Updates completed in this stage: the data/RNG cursor (see streams.ts). */
  update: number;
  /** Updates the stage was set to run. */
  updates: number;
  settings: TrainSettings;
}

/** 'periodic': every run.checkpointEvery updates (kept); 'interval': on the clock (latest only). */
export type CheckpointKind = 'start' | 'periodic' | 'interval' | 'final';

export interface TrainOptions {
  be: Backend;
  settings: TrainSettings;
  stage: Stage;
  vocab: Vocab;
  /** Updates of the stage (default: the settings' count for the stage). */
  updates?: number;
  /** Weights to start from (e.g. the stage-0 checkpoint for stage 1); moments start at zero. */
  init?: CheckpointState;
  /** A checkpoint of this run to continue from; needs `start` too. */
  resume?: CheckpointState;
  /** When resuming: the run's 'start' checkpoint (the weights at update 0). */
  start?: CheckpointState;
  onMetrics?: (m: UpdateMetrics) => void;
  /** Evaluation before the first update of a fresh run (update 0) and with each update's metrics. */
  onEvaluation?: (update: number, e: Evaluation) => void;
  /** Receives every checkpoint: 'start' once for a fresh run, then periodic ones, then 'final'. */
  saveCheckpoint?: (kind: CheckpointKind, update: number, state: CheckpointState) => Promise<void>;
  /** Evaluate before the first update (fresh runs only). */
  evaluateAtStart?: boolean;
  /** Stops after the update in progress; a checkpoint of the last update is saved. */
  signal?: AbortSignal;
  /** The stage's implementation (default: the registered one, see stages.ts). */
  definition?: StageDefinition;
  /** Metrics of the stage's earlier updates (a resume), so the divergence guard starts warm. */
  history?: readonly Pick<UpdateMetrics, 'loss' | 'gradNorm'>[];
  /** Milliseconds clock for the checkpoint interval (tests inject one; default performance.now). */
  now?: () => number;
}

export interface TrainResult {
  stage: Stage;
  /** Updates completed in the stage (from the start of the run, resumed ones included). */
  update: number;
  updates: number;
  last: UpdateMetrics | null;
  startEvaluation?: Evaluation;
  finalEvaluation?: Evaluation;
  aborted: boolean;
}

export class DivergenceError extends Error {
  constructor(
    readonly stage: Stage,
    readonly update: number,
    readonly metrics: UpdateMetrics,
    readonly lastCheckpoint: number | null,
    /** Why, when the values are finite (a spike the guard caught). */
    reason?: string,
  ) {
    const what =
      reason ??
      (!Number.isFinite(metrics.loss)
        ? `loss is ${metrics.loss}`
        : `gradient norm is ${metrics.gradNorm}`);
    const kept =
      lastCheckpoint === null
        ? 'no checkpoint was saved yet'
        : `the last good checkpoint (update ${lastCheckpoint}) is kept`;
    super(
      `stage ${stage} diverged at update ${update}: ${reason ? what : `the ${what}`}; stopped, ${kept}`,
    );
    this.name = 'DivergenceError';
  }
}

export class ResumeMismatchError extends CheckpointError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`cannot resume: ${field} ${detail}`);
    this.name = 'ResumeMismatchError';
  }
}

/** An --init checkpoint whose model does not fit the settings (names the setting). */
export class InitMismatchError extends CheckpointError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`cannot start from this checkpoint: ${field} ${detail}`);
    this.name = 'InitMismatchError';
  }
}

/**
 * Model fields that change only what the encoder writes, no parameter's shape: stage 0 may
 * start from a checkpoint made with another value, and SFT teaches the new encoding.
 */
export const ENCODING_FIELDS: readonly (keyof PlannerConfig)[] = ['instructionPhrases'];

/** The init checkpoint with the settings' encoding fields (see ENCODING_FIELDS). */
export function withEncodingOf(init: CheckpointState, config: PlannerConfig): CheckpointState {
  const adopted = { ...init.config };
  for (const key of ENCODING_FIELDS) adopted[key] = config[key];
  return { ...init, config: adopted };
}

/** Throws an InitMismatchError naming the first model field that differs. */
export function assertInitFits(
  init: CheckpointState,
  config: PlannerConfig,
  opts: { encodingMayDiffer?: boolean } = {},
): void {
  for (const key of Object.keys(config) as (keyof PlannerConfig)[]) {
    if (opts.encodingMayDiffer && ENCODING_FIELDS.includes(key)) continue;
    if (init.config[key] !== config[key])
      throw new InitMismatchError(
        `'model.${key}'`,
        `is ${init.config[key]} in the checkpoint, ${config[key]} in the settings`,
      );
  }
}

/** The run metadata of a checkpoint, validated (throws naming what is missing). */
export function runMetaOf(state: CheckpointState): RunMeta {
  const m = state.meta as Partial<RunMeta> | undefined;
  if (!m || m.format !== RUN_META_FORMAT)
    throw new CheckpointError(
      `no run metadata (format '${RUN_META_FORMAT}'): not a trainer checkpoint`,
    );
  if (!isStage(m.stage)) throw new CheckpointError(`run stage ${m.stage}`);
  if (!Number.isInteger(m.update) || !Number.isInteger(m.updates))
    throw new CheckpointError('run metadata lacks the update cursor');
  return { ...(m as RunMeta), settings: validateSettings(m.settings) };
}

/** Throws a ResumeMismatchError naming the first setting that differs. */
export function assertSameSettings(saved: TrainSettings, now: TrainSettings): void {
  const a = toFlat(saved);
  const b = toFlat(now);
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[key] !== b[key])
      throw new ResumeMismatchError(
        `setting '${key}'`,
        `differs: the checkpoint has ${a[key] ?? '(preset value)'}, now ${b[key] ?? '(preset value)'}`,
      );
  }
}

function optimizerFor(settings: TrainSettings, lr: number): OptimizerSettings {
  const o = settings.optimiser;
  return { lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay };
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { be, settings, stage, vocab } = opts;
  const def = opts.definition ?? stageDefinition(stage);
  const updates = opts.updates ?? stageUpdates(settings, stage);
  if (!Number.isInteger(updates) || updates < 0)
    throw new Error(`train: updates must be a whole number ≥ 0, got ${updates}`);
  const config = plannerConfigOf(settings);
  const baseLr = stageLearningRate(settings, stage);
  // Stage 0 extends a checkpoint made before tokens were appended to the vocabulary (the
  // new rows start fresh and SFT teaches them), and teaches an encoding the checkpoint was not
  // made with (ENCODING_FIELDS); later stages refuse both below.
  let init = opts.init;
  if (init && !opts.resume && stage === STAGE.sft) {
    if (appendsTo(vocab, init.vocab))
      init = extendVocabulary(init, vocab, streamRng(settings.run.seed, stage, 0, 'extend-vocab'));
    init = withEncodingOf(init, config);
  }
  if (init && !opts.resume) {
    // The vocabulary first: a checkpoint from before a vocabulary change differs in shape too.
    vocab.assertSame(init.vocab, 'the init checkpoint');
    assertInitFits(init, config);
  }
  const planner = new Planner(be, config, vocab.size, def.batchSize(settings));
  const meta = (update: number): RunMeta => ({
    format: RUN_META_FORMAT,
    stage,
    update,
    updates,
    settings,
  });
  const capture = async (update: number) =>
    captureCheckpoint(planner, vocab, optimizerFor(settings, baseLr), {
      meta: { ...meta(update) },
    });

  // Everything after allocation runs inside try, so a refusal or a failure frees the planner.
  let runner: StageRunner | null = null;
  try {
    let from = 0;
    let start: CheckpointState;
    if (opts.resume) {
      const saved = runMetaOf(opts.resume);
      if (saved.stage !== stage)
        throw new ResumeMismatchError(
          'stage',
          `differs: the checkpoint is stage ${saved.stage}, now ${stage}`,
        );
      assertSameSettings(saved.settings, settings);
      vocab.assertSame(opts.resume.vocab, 'the resumed checkpoint');
      if (saved.update > updates)
        throw new ResumeMismatchError(
          'updates',
          `(${updates}) is below the checkpoint's update ${saved.update}`,
        );
      if (!opts.start)
        throw new CheckpointError("cannot resume without the run's start checkpoint");
      restoreCheckpoint(planner, opts.resume);
      from = saved.update;
      start = opts.start;
    } else {
      if (init) {
        vocab.assertSame(init.vocab, 'the init checkpoint');
        restoreCheckpoint(planner, init);
        be.zero(planner.flat.m);
        be.zero(planner.flat.v);
        planner.step = 0;
      } else planner.init(streamRng(settings.run.seed, stage, 0, 'init'));
      start = await capture(0);
      await opts.saveCheckpoint?.('start', 0, start);
    }

    runner = await createStageRunner(def, { be, planner, vocab, settings, start });
    const t0 = performance.now();
    const result: TrainResult = { stage, update: from, updates, last: null, aborted: false };
    let lastCheckpoint: number | null = opts.resume ? from : null;
    if (opts.evaluateAtStart && from === 0 && runner.evaluate) {
      result.startEvaluation = await runner.evaluate();
      opts.onEvaluation?.(0, result.startEvaluation);
    }
    const every = settings.run.checkpointEvery;
    const evalEvery = settings.run.evalEvery;
    const now = opts.now ?? (() => performance.now());
    const intervalMs = settings.run.checkpointSeconds * 1000;
    let lastSavedAt = now();
    const guard = new DivergenceGuard(
      settings.run.divergenceFactor,
      stage,
      settings.optimiser.gradClip,
    );
    if (opts.history) guard.seed(opts.history);
    for (let u = from + 1; u <= updates; u++) {
      if (opts.signal?.aborted) {
        result.aborted = true;
        break;
      }
      const lr = scheduledLr(settings.optimiser, baseLr, u, updates);
      const m = await runner.step({
        update: u,
        updates,
        rng: (purpose) => streamRng(settings.run.seed, stage, u, purpose),
        optimizer: optimizerFor(settings, lr),
        elapsed: () => (performance.now() - t0) / 1000,
      });
      if (!Number.isFinite(m.loss) || !Number.isFinite(m.gradNorm))
        throw new DivergenceError(stage, u, m, lastCheckpoint);
      const spike = guard.check(m);
      if (spike) throw new DivergenceError(stage, u, m, lastCheckpoint, spike);
      if (runner.evaluate && (u === updates || (evalEvery > 0 && u % evalEvery === 0))) {
        m.evaluation = await runner.evaluate();
        opts.onEvaluation?.(u, m.evaluation);
        if (u === updates) result.finalEvaluation = m.evaluation;
      }
      result.update = u;
      result.last = m;
      opts.onMetrics?.(m);
      if (u === updates) break;
      if (!opts.saveCheckpoint) continue;
      const periodic = every > 0 && u % every === 0;
      if (periodic || (intervalMs > 0 && now() - lastSavedAt >= intervalMs)) {
        await opts.saveCheckpoint(periodic ? 'periodic' : 'interval', u, await capture(u));
        lastCheckpoint = u;
        lastSavedAt = now();
      }
    }
    if (opts.saveCheckpoint && (result.update > (lastCheckpoint ?? -1) || result.update === 0))
      await opts.saveCheckpoint('final', result.update, await capture(result.update));
    return result;
  } finally {
    runner?.release?.();
    planner.release();
  }
}
