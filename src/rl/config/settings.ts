// The typed settings of a training run, one interface per group, and the error every settings
// check throws. The field table (fields.ts) describes each value; validate.ts produces them.
import type { PlannerConfig, PresetName } from '../model/config';
import type { RewardSettings } from '../reward/settings';
import type { SuiteName } from '../../envs/suites/spec';
import type { Split } from '../../envs/task';
import type { BackendSetting } from '../../kernels/choice';

export interface ModelSettings extends Record<keyof PlannerConfig, number | null> {
  preset: PresetName;
}

export interface GrpoSettings {
  groupSize: number;
  promptsPerUpdate: number;
  temperature: number;
  topP: number;
  clipEpsilon: number;
  klBeta: number;
  innerEpochs: number;
  /** Minibatches (gradient steps per inner epoch) in one rollout batch. */
  minibatches: number;
}

export interface OptimiserSettings {
  /** Learning rate of stages 1 and 2. */
  lr: number;
  /** Learning rate of stage 0 (SFT). */
  sftLr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  gradClip: number;
  warmupUpdates: number;
  schedule: 'constant' | 'cosine';
}

export interface DataSettings {
  suites: SuiteName[];
  split: Split;
  midEpisode: boolean;
  perturbations: boolean;
  /** Distinct task instances per suite the prompts are drawn from. */
  taskPool: number;
  /** Prompts per SFT update (the batch size B of stage 0). */
  batchSize: number;
}

export interface RunSettings {
  seed: number;
  backend: BackendSetting;
  sftUpdates: number;
  stage1Updates: number;
  stage2Updates: number;
  evalEvery: number;
  evalSize: number;
  checkpointEvery: number;
  /** Seconds of training between checkpoints whatever the update count (0 = off). */
  checkpointSeconds: number;
  /** Stop a stage whose loss or gradient norm exceeds this × its running median (0 = off). */
  divergenceFactor: number;
}

export interface TrainSettings {
  model: ModelSettings;
  reward: RewardSettings;
  grpo: GrpoSettings;
  optimiser: OptimiserSettings;
  data: DataSettings;
  run: RunSettings;
}

export class SettingsError extends Error {
  constructor(
    /** The flat key (`grpo.groupSize`), or '(settings)' / 'preset' for the whole object. */
    readonly field: string,
    message: string,
  ) {
    super(`setting '${field}': ${message}`);
    this.name = 'SettingsError';
  }
}
