// Held-out evaluation of a checkpoint outside the training loop (the page's Evaluate button,
// on a paused or finished run): a planner of the stage's batch size is built, the weights
// restored, and the stage's own evaluate() run, so the numbers match the ones the trainer
// reports during training.
import type { Backend } from '../../kernels/backend';
import { plannerConfigOf, type TrainSettings } from '../../rl/config/schema';
import { PromptSource } from '../../rl/data/prompts';
import type { Vocab } from '../../rl/lang/vocab';
import type { Stage } from '../../rl/metrics';
import { restoreCheckpoint, type CheckpointState } from '../../rl/model/checkpoint';
import { Planner } from '../../rl/model/planner';
import type { Evaluation } from '../../rl/stage-types';
import { stageDefinition } from '../../rl/stages';

export async function evaluateCheckpoint(
  be: Backend,
  state: CheckpointState,
  settings: TrainSettings,
  stage: Stage,
  vocab: Vocab,
): Promise<Evaluation> {
  const def = stageDefinition(stage);
  const config = plannerConfigOf(settings);
  const planner = new Planner(be, config, vocab.size, def.batchSize(settings));
  try {
    restoreCheckpoint(planner, state);
    const prompts = new PromptSource(settings.data, vocab, config);
    const runner = await def.create({
      be,
      planner,
      vocab,
      settings,
      config,
      prompts,
      start: state,
    });
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
