// The stage interface the trainer drives, and the registry of stage implementations. The
// trainer's loop (trainer.ts) knows nothing of SFT or GRPO: it asks the registry for the
// stage's definition, builds a planner of the batch size the stage wants, and calls
// `runner.step(ctx)` once per update.
//
// Adding a stage: a file matching src/rl/**/*.stage.ts whose default export is a
// StageDefinition (e.g. src/rl/grpo/grpo.stage.ts for stage 1). It is picked up by itself;
// there is no list to edit. Stage 0 (SFT) lives in sft.ts.
import type { Backend } from '../kernels/backend';
import type { Rng } from '../rng';
import type { TrainSettings } from './config/schema';
import type { PromptSource } from './data/prompts';
import type { StreamPurpose } from './data/streams';
import type { Vocab } from './lang/vocab';
import type { Stage, UpdateMetrics } from './metrics';
import type { CheckpointState } from './model/checkpoint';
import type { PlannerConfig } from './model/config';
import type { OptimizerSettings, Planner } from './model/planner';
import { sftStage } from './sft';

/** What a stage is built from (once per run, fresh or resumed). */
export interface StageSetup {
  be: Backend;
  /** Parameters and moments already initialised or restored. */
  planner: Planner;
  vocab: Vocab;
  settings: TrainSettings;
  config: PlannerConfig;
  prompts: PromptSource;
  /**
   * The weights the stage started from (update 0), also when resuming: GRPO's frozen
   * reference policy is built from it.
   */
  start: CheckpointState;
}

/** What one update is given. */
export interface StepContext {
  /** The update being taken, from 1. */
  update: number;
  /** Updates in this stage. */
  updates: number;
  /** The random stream of this update for a purpose (fixed by seed, stage and update). */
  rng(purpose: StreamPurpose): Rng;
  /** AdamW settings with this update's scheduled learning rate. */
  optimizer: OptimizerSettings;
  /** Seconds since the run (this process) started. */
  elapsed(): number;
}

export type Evaluation = Record<string, Record<string, number>>;

export interface StageRunner {
  /**
   * One update, top to bottom (data → forward → zero grads → backward → clip → update), then
   * its metrics. The only wait allowed is the one metrics read of the update.
   */
  step(ctx: StepContext): Promise<UpdateMetrics>;
  /** Held-out metrics by group → metric (e.g. { 'held-out': { loss, nextStepAccuracy } }). */
  evaluate?(): Promise<Evaluation>;
  /** Frees what setup allocated (not the planner, which the trainer owns). */
  release?(): void;
}

export interface StageDefinition {
  stage: Stage;
  /** Shown in errors and progress bars, e.g. 'SFT warm start'. */
  name: string;
  /** Sequences per planner batch (B) this stage needs. */
  batchSize(settings: TrainSettings): number;
  create(setup: StageSetup): StageRunner | Promise<StageRunner>;
}

export class StageUnavailableError extends Error {
  constructor(readonly stage: Stage) {
    super(
      `stage ${stage} is not available in this build (no src/rl/**/*.stage.ts defines it; registered: ${registeredStages().join(', ')})`,
    );
    this.name = 'StageUnavailableError';
  }
}

function collect(): Map<Stage, StageDefinition> {
  const defs = new Map<Stage, StageDefinition>([[0, sftStage]]);
  const modules = import.meta.glob<{ default: StageDefinition }>('./**/*.stage.ts', {
    eager: true,
  });
  for (const [path, mod] of Object.entries(modules)) {
    const def = mod.default;
    if (!def || typeof def.create !== 'function')
      throw new Error(`${path}: the default export must be a StageDefinition`);
    if (defs.has(def.stage))
      throw new Error(
        `${path}: stage ${def.stage} is defined twice ('${defs.get(def.stage)!.name}')`,
      );
    defs.set(def.stage, def);
  }
  return defs;
}

const STAGES = collect();

export function registeredStages(): Stage[] {
  return [...STAGES.keys()].sort();
}

export function stageDefinition(stage: Stage): StageDefinition {
  const def = STAGES.get(stage);
  if (!def) throw new StageUnavailableError(stage);
  return def;
}

/** The updates a stage runs by default. */
export function stageUpdates(settings: TrainSettings, stage: Stage): number {
  const r = settings.run;
  return stage === 0 ? r.sftUpdates : stage === 1 ? r.stage1Updates : r.stage2Updates;
}
