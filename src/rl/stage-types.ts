// The stage interface the trainer drives: what a stage is built from, what one update is
// given, and the runner and definition every stage implementation provides. Which stages
// exist and in what order is stage-list.ts; which implementation runs each is stages.ts.
import type { Backend } from '../kernels/backend';
import type { Rng } from '../rng';
import type { TrainSettings } from './config/schema';
import type { PromptSource } from './data/prompts';
import type { StreamPurpose } from './data/streams';
import type { Vocab } from '../text/vocab';
import type { UpdateMetrics } from './metrics';
import type { CheckpointState } from './model/checkpoint';
import type { PlannerConfig } from './model/config';
import type { OptimizerSettings, Planner } from './model/planner';
import type { Stage } from './stage-list';

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
  /** Shown in errors and progress bars: the stage's title in stage-list.ts. */
  name: string;
  /** Sequences per planner batch (B) this stage needs. */
  batchSize(settings: TrainSettings): number;
  create(setup: StageSetup): StageRunner | Promise<StageRunner>;
}
