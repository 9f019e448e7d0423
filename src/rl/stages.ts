// The registry of stage implementations. The trainer's loop (trainer.ts) knows nothing of SFT
// or GRPO: it asks the registry for the stage's definition, builds a planner of the batch size
// the stage wants, and calls `runner.step(ctx)` once per update.
//
// The stages and their order are stage-list.ts. An implementation is a file matching
// src/rl/**/*.stage.ts whose default export is a StageDefinition (e.g.
// src/rl/grpo/grpo.stage.ts for the trajectory stage), picked up by itself; SFT, which every
// run can start with, lives in sft.ts.
import { sftStage } from './sft';
import { isStage, STAGES, type Stage } from './stage-list';
import type { StageDefinition } from './stage-types';

export class StageUnavailableError extends Error {
  constructor(readonly stage: Stage) {
    super(
      `stage ${stage} is not available in this build (no src/rl/**/*.stage.ts defines it; registered: ${registeredStages().join(', ')})`,
    );
    this.name = 'StageUnavailableError';
  }
}

function collect(): Map<Stage, StageDefinition> {
  const defs = new Map<Stage, StageDefinition>([[sftStage.stage, sftStage]]);
  const modules = import.meta.glob<{ default: StageDefinition }>('./**/*.stage.ts', {
    eager: true,
  });
  for (const [path, mod] of Object.entries(modules)) {
    const def = mod.default;
    if (!def || typeof def.create !== 'function')
      throw new Error(`${path}: the default export must be a StageDefinition`);
    if (!isStage(def.stage))
      throw new Error(`${path}: stage ${def.stage} is not in the stage list (stage-list.ts)`);
    if (defs.has(def.stage))
      throw new Error(
        `${path}: stage ${def.stage} is defined twice ('${defs.get(def.stage)!.name}')`,
      );
    defs.set(def.stage, def);
  }
  return defs;
}

const DEFINITIONS = collect();

export function registeredStages(): Stage[] {
  return STAGES.filter((s) => DEFINITIONS.has(s));
}

export function stageDefinition(stage: Stage): StageDefinition {
  const def = DEFINITIONS.get(stage);
  if (!def) throw new StageUnavailableError(stage);
  return def;
}
