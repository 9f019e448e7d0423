// Registers stage 1 (trajectory-level GRPO) with the trainer (see stages.ts).
import { STAGE, STAGE_LIST } from '../stage-list';
import type { StageDefinition } from '../stage-types';
import { Stage1Runner } from './stage1';

const stage1: StageDefinition = {
  stage: STAGE.trajectory,
  name: STAGE_LIST[STAGE.trajectory].title,
  batchSize: (settings) => settings.grpo.groupSize * settings.grpo.promptsPerUpdate,
  create: (setup) => new Stage1Runner(setup),
};

export default stage1;
