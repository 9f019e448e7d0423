// The training stages, in the order a run takes them: the one list that every consumer reads
// (the trainer, the registry of implementations, the trainer worker, the CLI and the UI). A
// stage's number is its place here; nothing else spells one out.
import type { TrainSettings } from './config/schema';

export const STAGE_LIST = [
  {
    key: 'sft',
    /** Shown in errors and progress bars. */
    title: 'SFT warm start',
    /** Shown in the run list and the setup form. */
    label: 'warm start',
    /** The run setting that holds the stage's update count. */
    updatesSetting: 'sftUpdates',
    /** Which optimiser learning rate the stage trains with. */
    lrSetting: 'sftLr',
    /** Teacher-forced loss on reference forecasts (the divergence guard watches its spikes). */
    supervised: true,
  },
  {
    key: 'trajectory',
    title: 'trajectory GRPO',
    label: 'trajectory RL',
    updatesSetting: 'stage1Updates',
    lrSetting: 'lr',
    supervised: false,
  },
  {
    key: 'grounded',
    title: 'grounded GRPO',
    label: 'grounded RL',
    updatesSetting: 'stage2Updates',
    lrSetting: 'lr',
    supervised: false,
  },
] as const satisfies readonly {
  key: string;
  title: string;
  label: string;
  updatesSetting: keyof TrainSettings['run'];
  lrSetting: keyof TrainSettings['optimiser'];
  supervised: boolean;
}[];

type StageEntry = (typeof STAGE_LIST)[number];
export type StageKey = StageEntry['key'];

type IndexOf<K> = K extends `${infer N extends number}` ? N : never;
/** A stage's number: its index in STAGE_LIST (0 | 1 | 2, derived from the list). */
export type Stage = IndexOf<Exclude<keyof typeof STAGE_LIST, keyof (readonly unknown[])>>;

/** Every stage number, in run order. */
export const STAGES: readonly Stage[] = STAGE_LIST.map((_, i) => i as Stage);

/** Stage numbers by key: STAGE.sft, STAGE.trajectory, STAGE.grounded. */
export const STAGE = Object.fromEntries(STAGE_LIST.map((s, i) => [s.key, i])) as Record<
  StageKey,
  Stage
>;

/** The last stage of a run. */
export const LAST_STAGE: Stage = STAGES[STAGES.length - 1];

export function isStage(x: unknown): x is Stage {
  return typeof x === 'number' && (STAGES as readonly number[]).includes(x);
}

/** The stages from `first` to the end, in order. */
export function stagesFrom(first: Stage): Stage[] {
  return STAGES.filter((s) => s >= first);
}

/** The updates a stage runs by default (its run setting). */
export function stageUpdates(settings: TrainSettings, stage: Stage): number {
  return settings.run[STAGE_LIST[stage].updatesSetting];
}

/** The base learning rate a stage trains with. */
export function stageLearningRate(settings: TrainSettings, stage: Stage): number {
  return settings.optimiser[STAGE_LIST[stage].lrSetting];
}

/** Whether the stage trains on reference forecasts (SFT) rather than sampled ones. */
export function isSupervised(stage: Stage): boolean {
  return STAGE_LIST[stage].supervised;
}

/** A list with one entry per stage, e.g. planned updates [sft, trajectory, grounded]. */
export function perStage<T>(f: (stage: Stage) => T): T[] {
  return STAGES.map(f);
}
