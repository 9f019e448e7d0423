// The one settings schema of a training run: every knob the CLI's `--config <file>`, the UI's
// form and the URL hash share, as data (key, type, default, range or choices, label, help,
// group). validateSettings turns untrusted input into typed TrainSettings or throws a
// SettingsError that names the field; toFlat/fromFlat give the string map the URL hash holds.
//
// Keys are `group.field`; a config file nests them ({ "grpo": { "groupSize": 5 } }) and may
// start from a named preset ({ "preset": "teaching", ... }). Model fields default to null,
// which means "the model preset's value" (see plannerConfigOf).
import { BACKEND_SETTINGS, type BackendSetting } from '../../kernels/choice';
import { forecastBudget, PRESETS, type PlannerConfig, type PresetName } from '../model/config';
import { estimateTrainingMemory, formatBytes, MAX_TRAINING_BYTES } from './memory';
import {
  DEFAULT_REWARD_SETTINGS,
  REWARD_VARIANTS,
  rewardChoices,
  type RewardSettings,
  type RewardVariant,
} from '../reward/settings';
import { SUITE_NAMES, type SuiteName } from '../../envs/suites/spec';
import { SPLITS } from '../../envs/suites/splits';
import type { Split } from '../../envs/task';

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

// ---------------------------------------------------------------------------------------------
// The fields

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

// ---------------------------------------------------------------------------------------------
// Presets: partial nested overrides of the defaults

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

export const SETTINGS_PRESETS = {
  /** Unit tests and CI: the tiny model, a handful of updates. */
  'ci-tiny': {
    model: { preset: 'tiny' },
    grpo: { groupSize: 3, promptsPerUpdate: 2, minibatches: 1 },
    optimiser: { warmupUpdates: 2, sftLr: 3e-3 },
    data: { suites: ['mobile-online'], taskPool: 64, batchSize: 4 },
    run: {
      backend: 'cpu',
      sftUpdates: 40,
      stage1Updates: 10,
      stage2Updates: 5,
      evalEvery: 0,
      evalSize: 8,
      checkpointEvery: 0,
    },
  },
  /** The hosted demo. Measured on wasm, one thread (2-core EPYC): a stage-1 update ≈ 0.3 CPU-s. */
  'quick-demo': {
    // Sees every element of the densest screen (40 actionable at most) and copies labels.
    model: {
      preset: 'tiny',
      horizon: 4,
      C: 64,
      NH: 4,
      promptLen: 96,
      maxElements: 40,
      elementWords: 4,
    },
    data: { batchSize: 16 },
    run: { sftUpdates: 200, stage1Updates: 100, stage2Updates: 50, evalEvery: 25, evalSize: 32 },
  },
  /** The classroom default: the small model, every stage long enough to see curves move. */
  teaching: {
    model: { preset: 'small' },
    run: { sftUpdates: 600, stage1Updates: 300, stage2Updates: 150, evalEvery: 50, evalSize: 64 },
  },
  /** Closest to the paper: H = 10, G = 5, β = 1e-2, long stages on the base model. */
  'paper-like': {
    model: { preset: 'base', horizon: 10 },
    grpo: { groupSize: 5, promptsPerUpdate: 8, temperature: 1.0, klBeta: 1e-2 },
    optimiser: { lr: 5e-5, sftLr: 3e-4, schedule: 'cosine', warmupUpdates: 50 },
    data: { batchSize: 32 },
    run: {
      sftUpdates: 3000,
      stage1Updates: 2000,
      stage2Updates: 1000,
      evalEvery: 200,
      evalSize: 200,
      checkpointEvery: 500,
    },
  },
} as const satisfies Record<string, DeepPartial<TrainSettings>>;

export type SettingsPresetName = keyof typeof SETTINGS_PRESETS;
export const SETTINGS_PRESET_NAMES = Object.keys(SETTINGS_PRESETS) as SettingsPresetName[];

// ---------------------------------------------------------------------------------------------
// Validation

/** A value as a message shows it: JSON where JSON can say it (not Infinity → "null"). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list []' : `a list ${clip(v)}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object ${clip(v)}`;
  if (typeof v === 'string') return `the text ${clip(v)}`;
  return clip(v);
}

function clip(v: unknown): string {
  const text = JSON.stringify(v, (_k, x) =>
    typeof x === 'number' && !Number.isFinite(x) ? String(x) : x,
  );
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkValue(f: FieldSpec, v: unknown): FieldValue {
  const fail = (why: string): never => {
    throw new SettingsError(f.key, `${why}, got ${describeValue(v)}`);
  };
  if (v === null && f.default === null) return null;
  switch (f.type) {
    case 'number':
    case 'int': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail('must be a finite number');
      if (f.type === 'int' && !Number.isInteger(v)) fail('must be an integer');
      const lo = f.min ?? -INF;
      const hi = f.max ?? INF;
      if (f.minExclusive ? v <= lo : v < lo) fail(`must be ${f.minExclusive ? '>' : '≥'} ${lo}`);
      if (v > hi) fail(`must be ≤ ${hi}`);
      return v === 0 ? 0 : v; // -0 is 0 (the URL form writes it so)
    }
    case 'boolean':
      return typeof v === 'boolean' ? v : fail('must be true or false');
    case 'string':
      return typeof v === 'string' ? v : fail('must be a string');
    case 'choice':
      if (typeof v !== 'string' || !f.choices!.includes(v))
        fail(`must be one of ${f.choices!.map((c) => `'${c}'`).join(', ')}`);
      return v as string;
    case 'list': {
      if (!Array.isArray(v) || v.length === 0) return fail('must be a non-empty list');
      for (const item of v)
        if (typeof item !== 'string' || !f.choices!.includes(item))
          fail(`items must be among ${f.choices!.join(', ')}`);
      if (new Set(v).size !== v.length) fail('must not repeat an item');
      return [...(v as string[])];
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The defaults, as a fresh nested object. */
export function defaultSettings(): TrainSettings {
  const out: Record<string, Record<string, unknown>> = {};
  for (const g of GROUPS) out[g] = {};
  for (const f of SCHEMA) {
    const [g, name] = f.key.split('.');
    out[g][name] = Array.isArray(f.default) ? [...(f.default as string[])] : f.default;
  }
  return out as unknown as TrainSettings;
}

function applyNested(target: TrainSettings, input: Record<string, unknown>, where: string): void {
  const t = target as unknown as Record<string, Record<string, unknown>>;
  for (const [group, body] of Object.entries(input)) {
    if (group === 'preset') continue;
    if (!(GROUPS as string[]).includes(group))
      throw new SettingsError(`${where}${group}`, `is not a settings group (${GROUPS.join(', ')})`);
    if (!isPlainObject(body))
      throw new SettingsError(
        group,
        `must be an object of settings (e.g. {"${group}": {"${SCHEMA.find((f) => f.group === group)!.key.split('.')[1]}": …}}), got ${describeValue(body)}`,
      );
    // A reward variant presets the reward's rules; the group's other fields then override them.
    if (group === 'reward' && body.variant !== undefined) {
      const variant = checkValue(FIELD_BY_KEY.get('reward.variant')!, body.variant);
      Object.assign(t.reward, REWARD_VARIANTS[variant as RewardVariant]);
    }
    for (const [name, value] of Object.entries(body)) {
      const f = FIELD_BY_KEY.get(`${group}.${name}`);
      if (!f) throw new SettingsError(`${group}.${name}`, 'is not a setting');
      t[group][name] = checkValue(f, value);
    }
  }
}

function checkCrossFields(s: TrainSettings): void {
  const model = plannerConfigOf(s, false);
  if (model.C % model.NH !== 0)
    throw new SettingsError('model.C', `(${model.C}) must be divisible by model.NH (${model.NH})`);
  if (model.maxElements > model.promptLen - 2)
    throw new SettingsError(
      'model.maxElements',
      `(${model.maxElements}) must leave room for BOS and SEP in model.promptLen (${model.promptLen})`,
    );
  const batch = Math.max(s.data.batchSize, s.grpo.groupSize * s.grpo.promptsPerUpdate);
  const m = estimateTrainingMemory(model, batch);
  if (m.totalBytes > MAX_TRAINING_BYTES)
    throw new SettingsError(
      'model',
      `training this shape needs about ${formatBytes(m.totalBytes)} (${(m.parameters / 1e6).toFixed(1)} M parameters: ${formatBytes(m.modelBytes)} with gradients and moments; activations ${formatBytes(m.activationBytes)} at batch ${batch}), above the ${formatBytes(MAX_TRAINING_BYTES)} limit; lower model.C, model.L, model.promptLen, model.forecastTokens or the batch (data.batchSize, grpo.groupSize × grpo.promptsPerUpdate)`,
    );
}

/**
 * Typed settings from untrusted input (a parsed config file): defaults, then the input's named
 * `preset` if any, then its own values. Unknown groups or fields, wrong types and values out of
 * range throw a SettingsError naming the field.
 */
export function validateSettings(input: unknown = {}): TrainSettings {
  if (!isPlainObject(input))
    throw new SettingsError(
      '(settings)',
      `must be an object of groups (e.g. {"run": {"seed": 1}}), got ${describeValue(input)}`,
    );
  const s = defaultSettings();
  const presetName = input.preset;
  if (presetName !== undefined) {
    if (typeof presetName !== 'string' || !(presetName in SETTINGS_PRESETS))
      throw new SettingsError(
        'preset',
        `must be one of ${SETTINGS_PRESET_NAMES.join(', ')}, got ${describeValue(presetName)}`,
      );
    applyNested(s, SETTINGS_PRESETS[presetName as SettingsPresetName], '');
  }
  applyNested(s, input, '');
  checkCrossFields(s);
  return s;
}

/** A named preset's complete settings. */
export function settingsPreset(name: SettingsPresetName): TrainSettings {
  return validateSettings({ preset: name });
}

/** The planner's shape: the model preset with the non-null model fields laid over it. */
export function plannerConfigOf(s: TrainSettings, check = true): PlannerConfig {
  const base = { ...PRESETS[s.model.preset] };
  for (const key of Object.keys(base) as (keyof PlannerConfig)[]) {
    const v = s.model[key];
    if (v !== null && v !== undefined) base[key] = v;
  }
  // The forecast budget follows the horizon unless it is set.
  if (s.model.forecastTokens === null || s.model.forecastTokens === undefined)
    base.forecastTokens = forecastBudget(base.horizon);
  if (check) checkCrossFields(s);
  return base;
}

// ---------------------------------------------------------------------------------------------
// Flat string maps (URL hash)

function fieldValue(s: TrainSettings, key: string): FieldValue {
  const [g, name] = key.split('.');
  return (s as unknown as Record<string, Record<string, FieldValue>>)[g][name];
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/**
 * Settings as `key → string` (choices by their string key, booleans 'true'/'false', lists
 * comma-separated, numbers in JavaScript's shortest exact form). Null model fields are left out;
 * with `onlyChanged`, so is every field equal to its default (a short URL hash).
 */
export function toFlat(s: TrainSettings, onlyChanged = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of SCHEMA) {
    const v = fieldValue(s, f.key);
    if (v === null) continue;
    if (onlyChanged && sameValue(v, f.default)) continue;
    out[f.key] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

function parseFlat(f: FieldSpec, text: string): unknown {
  switch (f.type) {
    case 'number':
    case 'int': {
      if (text === '' && f.default === null) return null;
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n))
        throw new SettingsError(f.key, `must be a number, got the text ${JSON.stringify(text)}`);
      return n;
    }
    case 'boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw new SettingsError(f.key, `must be true or false, got the text ${JSON.stringify(text)}`);
    case 'list':
      return text === '' ? [] : text.split(',');
    default:
      return text;
  }
}

/** Settings from a flat string map (absent keys take their defaults), validated. */
export function fromFlat(flat: Readonly<Record<string, string>>): TrainSettings {
  const nested: Record<string, Record<string, unknown>> = {};
  for (const [key, text] of Object.entries(flat)) {
    const f = FIELD_BY_KEY.get(key);
    if (!f) throw new SettingsError(key, 'is not a setting');
    (nested[f.group] ??= {})[key.slice(f.group.length + 1)] = parseFlat(f, text);
  }
  return validateSettings(nested);
}
