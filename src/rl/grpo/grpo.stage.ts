// Registers stage 1 (trajectory-level GRPO) with the trainer (see stages.ts).
import type { StageDefinition } from '../stages';
import { Stage1Runner } from './stage1';

const stage1: StageDefinition = {
  stage: 1,
  name: 'trajectory GRPO',
  batchSize: (settings) => settings.grpo.groupSize * settings.grpo.promptsPerUpdate,
  create: (setup) => new Stage1Runner(setup),
};

export default stage1;
