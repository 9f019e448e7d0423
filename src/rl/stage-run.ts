// Building a stage's planner and runner, in one place: the trainer (trainer.ts) does it for
// training, evaluateCheckpoint for a saved checkpoint outside the training loop (the Train
// page's Evaluate button on a paused or finished run), so the numbers a checkpoint gives later
// are the ones its stage reported while training.
import type { Backend } from '../kernels/backend';
import { plannerConfigOf, type TrainSettings } from './config/schema';
import { PromptSource } from './data/prompts';
import type { Vocab } from '../text/vocab';
import { restoreCheckpoint, type CheckpointState } from './model/checkpoint';
import { Planner } from './model/planner';
import type { Stage } from './stage-list';
import type { Evaluation, StageDefinition, StageRunner, StageSetup } from './stage-types';
import { stageDefinition } from './stages';

/** A planner of the batch size the stage wants (parameters not yet initialised). */
export function stagePlanner(
  be: Backend,
  settings: TrainSettings,
  vocab: Vocab,
  def: StageDefinition,
): Planner {
  return new Planner(be, plannerConfigOf(settings), vocab.size, def.batchSize(settings));
}

/** The stage's runner on `planner`, with the prompt source its settings describe. */
export async function createStageRunner(
  def: StageDefinition,
  setup: Omit<StageSetup, 'config' | 'prompts'>,
): Promise<StageRunner> {
  const config = plannerConfigOf(setup.settings);
  const prompts = new PromptSource(setup.settings.data, setup.vocab, config);
  return def.create({ ...setup, config, prompts });
}

/** The stage's own held-out evaluation of a checkpoint; frees everything it built. */
export async function evaluateCheckpoint(
  be: Backend,
  state: CheckpointState,
  settings: TrainSettings,
  stage: Stage,
  vocab: Vocab,
): Promise<Evaluation> {
  const def = stageDefinition(stage);
  const planner = stagePlanner(be, settings, vocab, def);
  try {
    restoreCheckpoint(planner, state);
    const runner = await createStageRunner(def, { be, planner, vocab, settings, start: state });
    try {
      if (!runner.evaluate) throw new Error(`stage ${stage} has no evaluation`);
      return await runner.evaluate();
    } finally {
      runner.release?.();
    }
  } finally {
    planner.release();
  }
}
