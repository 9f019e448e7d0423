// Registers stage 2 (grounded GRPO) with the trainer (see stages.ts). The frozen grounder is
// loaded once and shared by every stage-2 run of the process.
import { STAGE, STAGE_LIST } from '../stage-list';
import type { StageDefinition } from '../stage-types';
import { sharedFrozenGrounder } from './frozen-grounder';
import { Stage2Runner } from './stage2';

const stage2: StageDefinition = {
  stage: STAGE.grounded,
  name: STAGE_LIST[STAGE.grounded].title,
  batchSize: (settings) => settings.grpo.groupSize * settings.grpo.promptsPerUpdate,
  create: async (setup) => new Stage2Runner(setup, await sharedFrozenGrounder()),
};

export default stage2;
