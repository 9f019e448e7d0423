// The field table: every knob the CLI's `--config <file>`, the UI's form and the URL hash share,
// as data (key, type, default, range or choices, label, help, group).
//
// Keys are `group.field`; a config file nests them ({ "grpo": { "groupSize": 5 } }). Model
// fields default to null, which means "the model preset's value" (see plannerConfigOf).
import { BACKEND_SETTINGS } from '../../kernels/choice';
import { PRESETS, type PlannerConfig } from '../model/config';
import { DEFAULT_REWARD_SETTINGS, rewardChoices } from '../reward/settings';
import { SUITE_NAMES } from '../../envs/suites/spec';
import { SPLITS } from '../../envs/suites/splits';

export type FieldType = 'number' | 'int' | 'boolean' | 'choice' | 'string' | 'list';
export type GroupName = 'model' | 'reward' | 'grpo' | 'optimiser' | 'data' | 'run';
export const GROUPS: readonly GroupName[] = ['model', 'reward', 'grpo', 'optimiser', 'data', 'run'];

export type FieldValue = number | boolean | string | readonly string[] | null;

export interface FieldSpec {
  /** `group.name`: the flat key (URL hash) and the nested path (config file). */
  key: string;
  group: GroupName;
  /** 'list' is a subset of `choices`, written comma-separated in the flat form. */
  type: FieldType;
  /** null only for model fields: "take the model preset's value". */
  default: FieldValue;
  min?: number;
  max?: number;
  /** Lower bound excluded (e.g. a temperature must be > 0). */
  minExclusive?: boolean;
  choices?: readonly string[];
  label: string;
  help: string;
}

const MODEL_HELP: Record<keyof PlannerConfig, [string, string, number]> = {
  L: ['Layers', 'Transformer blocks.', 1],
  C: ['Width', 'Channels per position; divisible by the heads.', 1],
  NH: ['Heads', 'Attention heads.', 1],
  mlpRatio: ['MLP ratio', 'MLP hidden width as a multiple of the width.', 1],
  promptLen: ['Prompt length', 'Tokens of every prompt (elements, instruction, history).', 3],
  forecastTokens: [
    'Forecast tokens',
    'Token budget of one forecast, <eos> included (default: enough for 99 % of H-step forecasts).',
    3,
  ],
  horizon: ['Horizon H', 'Most steps in one forecast (the paper finds ≈10 best).', 1],
  cropSize: ['Crop size', 'Each element is seen as a crop×crop×3 patch of pixels.', 1],
  maxElements: ['Elements', 'Most UI elements encoded per screen (the most relevant).', 1],
  elementTextTokens: ['Element text', 'Text tokens averaged into each element.', 1],
  elementWords: ['Element words', 'Text tokens per element written into the prompt to copy.', 0],
  instructionPhrases: [
    'Instruction phrases',
    'Quoted text, e-mail addresses and names of the instruction the planner copies by a mark (0: numbers only).',
    0,
  ],
  historySteps: ['History', 'Executed steps shown in the prompt.', 0],
  boxHidden: ['Box MLP width', 'Hidden width of the element box/state MLP.', 1],
};

/** Upper bounds of the model fields (a field not listed: 4096); the memory estimate bounds
 * their combination (see memory.ts). */
const MODEL_MAX: Partial<Record<keyof PlannerConfig, number>> = {
  L: 64,
  NH: 64,
  mlpRatio: 16,
  horizon: 64,
  cropSize: 64,
  maxElements: 1024,
  elementTextTokens: 64,
  instructionPhrases: 64,
  historySteps: 64,
};

const num = (
  key: string,
  def: number,
  min: number,
  max: number,
  label: string,
  help: string,
  extra: Partial<FieldSpec> = {},
): FieldSpec => ({
  key,
  group: key.split('.')[0] as GroupName,
  type: 'number',
  default: def,
  min,
  max,
  label,
  help,
  ...extra,
});
const int = (key: string, def: number, min: number, max: number, label: string, help: string) =>
  num(key, def, min, max, label, help, { type: 'int' });
const choice = (
  key: string,
  def: string,
  choices: readonly string[],
  label: string,
  help: string,
): FieldSpec => ({
  key,
  group: key.split('.')[0] as GroupName,
  type: 'choice',
  default: def,
  choices,
  label,
  help,
});
const bool = (key: string, def: boolean, label: string, help: string): FieldSpec => ({
  key,
  group: key.split('.')[0] as GroupName,
  type: 'boolean',
  default: def,
  label,
  help,
});

const R = DEFAULT_REWARD_SETTINGS;
const INF = Infinity;

export const SCHEMA: readonly FieldSpec[] = [
  // model
  choice(
    'model.preset',
    'small',
    Object.keys(PRESETS),
    'Model preset',
    'Base shape; fields below override it.',
  ),
  ...(Object.keys(MODEL_HELP) as (keyof PlannerConfig)[]).map((f): FieldSpec => ({
    key: `model.${f}`,
    group: 'model',
    type: 'int',
    default: null,
    min: MODEL_HELP[f][2],
    max: MODEL_MAX[f] ?? 4096,
    label: MODEL_HELP[f][0],
    help: `${MODEL_HELP[f][1]} Empty: the preset's value.`,
  })),
  // reward (stage 1): every coefficient of RewardSettings
  choice(
    'reward.variant',
    R.variant,
    rewardChoices('variant'),
    'Reward variant',
    "Rules preset: 'prototype' (the authors' prototype) or 'tracelab' (our earlier reading).",
  ),
  ...(
    [
      ['stepIndex', 'Step index', 'Index that picks γ^i: the forecast step or the reference step.'],
      ['matching', 'Matching', 'Greedy alignment when the lengths differ.'],
      ['coverageRule', 'Coverage rule', 'Penalise every unmatched step, or the length difference.'],
      ['repetitionUnit', 'Repetition unit', 'Repeats of action types or of whole steps.'],
      ['repetitionApply', 'Repetition applied', 'After clipping the accuracy, or inside the sum.'],
      ['formatRule', 'Format rule', 'Share of well-formed steps, or all or nothing.'],
    ] as const
  ).map(([field, label, help]) =>
    choice(`reward.${field}`, R[field], rewardChoices(field), label, help),
  ),
  num('reward.gamma', R.gamma, 0, 1, 'Discount γ', 'Step i weighs γ^i (see step index).'),
  num('reward.doneBonus', R.doneBonus, 0, INF, 'Done bonus', 'Paid when the last step says done.'),
  choice(
    'reward.doneBonusRule',
    R.doneBonusRule,
    rewardChoices('doneBonusRule'),
    'Done rule',
    'When the done bonus is paid.',
  ),
  num(
    'reward.coveragePenalty',
    R.coveragePenalty,
    0,
    INF,
    'Coverage penalty',
    'Per unmatched (or extra/missing) step.',
  ),
  num(
    'reward.shiftPenalty',
    R.shiftPenalty,
    0,
    INF,
    'Shift penalty',
    'Per position a matched step is shifted.',
  ),
  num(
    'reward.acceptThreshold',
    R.acceptThreshold,
    0,
    1,
    'Accept threshold',
    'Greedy matching accepts a pair at or above this.',
  ),
  num(
    'reward.repetitionPenalty',
    R.repetitionPenalty,
    0,
    INF,
    'Repetition penalty',
    'Per run of identical consecutive steps.',
  ),
  int(
    'reward.repetitionRun',
    R.repetitionRun,
    2,
    100,
    'Repetition run',
    'Identical steps in a row that count as a run.',
  ),
  choice(
    'reward.repetitionExcuse',
    R.repetitionExcuse,
    rewardChoices('repetitionExcuse'),
    'Repetition excuse',
    "'reference': runs the reference has are not penalised.",
  ),
  int(
    'reward.lengthGuardSlack',
    R.lengthGuardSlack,
    0,
    100,
    'Length guard slack',
    'Extra steps allowed before the guard fires.',
  ),
  num(
    'reward.lengthGuardReward',
    R.lengthGuardReward,
    0,
    1,
    'Length guard reward',
    'Accuracy when the guard fires.',
  ),
  num(
    'reward.accuracyWeight',
    R.accuracyWeight,
    0,
    INF,
    'Accuracy weight',
    'total = w_acc·accuracy + w_fmt·format.',
  ),
  num(
    'reward.formatWeight',
    R.formatWeight,
    0,
    INF,
    'Format weight',
    'Weight of a well-formed forecast.',
  ),
  num(
    'reward.groundedFormatWeight',
    R.groundedFormatWeight,
    0,
    INF,
    'Stage-2 format weight',
    'Stage 2 pays grounded success (0 or 1) plus this for a well-formed forecast.',
  ),
  num(
    'reward.firstTypeWeight',
    R.firstTypeWeight,
    0,
    1,
    'First step: type',
    'Type weight of the first step.',
  ),
  num(
    'reward.firstDetailWeight',
    R.firstDetailWeight,
    0,
    1,
    'First step: detail',
    'Target/argument weight of the first step.',
  ),
  num(
    'reward.laterTypeWeight',
    R.laterTypeWeight,
    0,
    1,
    'Later steps: type',
    'Type weight of later steps.',
  ),
  num(
    'reward.laterDetailWeight',
    R.laterDetailWeight,
    0,
    1,
    'Later steps: detail',
    'Target/argument weight of later steps.',
  ),
  choice(
    'reward.targetMatch',
    R.targetMatch,
    ['f1', 'exact'],
    'Target match',
    'How target descriptions are compared.',
  ),
  choice(
    'reward.argMatch',
    R.argMatch,
    ['f1', 'exact'],
    'Argument match',
    'How arguments are compared.',
  ),
  // GRPO (stages 1 and 2)
  int('grpo.groupSize', 5, 2, 64, 'Group size G', 'Forecasts sampled per prompt.'),
  int(
    'grpo.promptsPerUpdate',
    4,
    1,
    1024,
    'Prompts per update',
    'Prompts per GRPO update (batch = G × this).',
  ),
  num('grpo.temperature', 1.0, 0, 10, 'Temperature', 'Sampling temperature.', {
    minExclusive: true,
  }),
  num('grpo.topP', 1.0, 0, 1, 'Top-p', 'Nucleus sampling mass (1 = off).', { minExclusive: true }),
  num('grpo.clipEpsilon', 0.2, 0, 1, 'Clip ε', 'PPO ratio clip range.'),
  num('grpo.klBeta', 1e-2, 0, 10, 'KL β', 'Weight of the k3 KL estimate to the reference policy.'),
  int('grpo.innerEpochs', 1, 1, 16, 'Inner epochs', 'Passes over each rollout batch.'),
  int(
    'grpo.minibatches',
    4,
    1,
    64,
    'Minibatches',
    'Rollout batch = this × prompts per update, sampled before any step; one gradient step per minibatch and inner epoch (EasyR1: rollout 512, update 128).',
  ),
  // optimiser
  num('optimiser.lr', 1e-4, 0, 1, 'Learning rate', 'AdamW learning rate of stages 1 and 2.', {
    minExclusive: true,
  }),
  num('optimiser.sftLr', 1e-3, 0, 1, 'SFT learning rate', 'AdamW learning rate of stage 0.', {
    minExclusive: true,
  }),
  num('optimiser.beta1', 0.9, 0, 1, 'β1', 'First-moment decay.', { max: 0.999999 }),
  num('optimiser.beta2', 0.95, 0, 1, 'β2', 'Second-moment decay.', { max: 0.999999 }),
  num('optimiser.eps', 1e-8, 0, 1, 'ε', 'AdamW denominator guard.', { minExclusive: true }),
  num('optimiser.weightDecay', 0, 0, 1, 'Weight decay', 'Decoupled weight decay.'),
  num('optimiser.gradClip', 1.0, 0, INF, 'Gradient clip', 'Global norm clip.', {
    minExclusive: true,
  }),
  int(
    'optimiser.warmupUpdates',
    10,
    0,
    1_000_000,
    'Warm-up',
    'Updates of linear learning-rate warm-up.',
  ),
  choice(
    'optimiser.schedule',
    'constant',
    ['constant', 'cosine'],
    'Schedule',
    'Learning rate after warm-up.',
  ),
  // data
  {
    key: 'data.suites',
    group: 'data',
    type: 'list',
    default: [
      'mobile-online',
      'desktop-online',
      'mobile-offline-high',
      'cross-app-offline',
      'web-offline',
    ],
    choices: SUITE_NAMES,
    label: 'Suites',
    help: 'Suites whose templates give the training prompts (tool suites need a vocabulary with <act:tool>).',
  },
  choice(
    'data.split',
    'train',
    SPLITS,
    'Split',
    "Split of the training prompts ('train' unless testing).",
  ),
  bool(
    'data.midEpisode',
    true,
    'Mid-episode prompts',
    'Prompts anywhere along an episode, not only at its start.',
  ),
  bool(
    'data.perturbations',
    true,
    'Perturbations',
    "Keep the suite's perturbations (theme, pop-ups, …).",
  ),
  int(
    'data.taskPool',
    1000,
    1,
    100_000,
    'Task pool',
    'Task instances per suite prompts are drawn from.',
  ),
  int('data.batchSize', 16, 1, 4096, 'SFT batch', 'Prompts per stage-0 update.'),
  // run
  int('run.seed', 1, 0, 2 ** 32 - 1, 'Seed', 'Seeds data, initialisation and sampling.'),
  choice(
    'run.backend',
    'auto',
    BACKEND_SETTINGS,
    'Backend',
    'Where the kernels run; auto times a planner step on each and takes the faster.',
  ),
  int('run.sftUpdates', 300, 0, 10_000_000, 'Stage 0 updates', 'SFT warm-start updates.'),
  int('run.stage1Updates', 200, 0, 10_000_000, 'Stage 1 updates', 'Trajectory-level GRPO updates.'),
  int('run.stage2Updates', 100, 0, 10_000_000, 'Stage 2 updates', 'Grounded GRPO updates.'),
  int(
    'run.evalEvery',
    50,
    0,
    10_000_000,
    'Evaluate every',
    'Updates between evaluations (0 = only at the end).',
  ),
  int('run.evalSize', 32, 1, 100_000, 'Eval prompts', 'Held-out prompts per evaluation.'),
  int(
    'run.checkpointEvery',
    100,
    0,
    10_000_000,
    'Checkpoint every',
    'Updates between checkpoints (0 = only at the end).',
  ),
  int(
    'run.checkpointSeconds',
    30,
    0,
    86_400,
    'Checkpoint seconds',
    'Also checkpoint after this many seconds of training (0 = off): a crash loses at most that.',
  ),
  num(
    'run.divergenceFactor',
    10,
    0,
    1e6,
    'Divergence factor',
    'Stop a stage when its loss (stage 0) or gradient norm exceeds this × its running median over the last 25 updates (0 = off).',
  ),
];

export const FIELD_BY_KEY: ReadonlyMap<string, FieldSpec> = new Map(SCHEMA.map((f) => [f.key, f]));
