// Settings of the stage-1 trajectory reward, one object, every coefficient visible. Two named
// variants preset the rules (not the coefficients, which both share):
//  - 'prototype' (default): the first author's public prototype (DESIGN.md §1) as its code does
//    it: discount and first-step weights by forecast index, greedy matching over any unused
//    reference step with a strict threshold, a penalty per unmatched predicted and reference
//    step, the done bonus whenever the last step says done, repetition = windows of identical
//    action types subtracted after the accuracy is clipped, format = share of well-formed steps;
//  - 'tracelab': TraceLab's earlier reading (discount by reference index, in-order matching,
//    coverage by length difference, runs of identical full steps excused when the reference
//    has them, the done bonus only when the reference ends, format all or nothing).
// rewardSettings({ variant, ...overrides }) starts from the variant's rules, then overrides.

export type RewardVariant = 'prototype' | 'tracelab';

export interface RewardSettings {
  /** The preset the rules below started from (see the header). */
  variant: RewardVariant;
  /** Index that picks γ^i and the first-step weights: the forecast's step or the reference's. */
  stepIndex: 'forecast' | 'reference';
  /**
   * Greedy alignment (lengths differ): 'any-unused' takes, for each predicted step, the unused
   * reference step of highest sim − shift if strictly above the threshold (ties: the earliest);
   * 'in-order' only looks past the last matched reference step and accepts at the threshold.
   */
  matching: 'any-unused' | 'in-order';
  /**
   * 'unmatched': one coverage penalty per unmatched predicted and per unmatched reference step
   * (with equal lengths every position counts as matched, as in the prototype);
   * 'length-difference': coverage · |n − m|.
   */
  coverageRule: 'unmatched' | 'length-difference';
  /** What a repetition compares: action types only, or the whole step (type, target, argument). */
  repetitionUnit: 'type' | 'step';
  /** 'after-clip': accuracy = clip(clip(base) − repetition); 'in-sum': inside the normalised sum. */
  repetitionApply: 'after-clip' | 'in-sum';
  /** 'step-share': well-formed steps / steps (0 on a whole-forecast error); 'all-or-nothing'. */
  formatRule: 'step-share' | 'all-or-nothing';
  /** Discount over reference positions: step t weighs γ^(t-1). */
  gamma: number;
  /** Added when the forecast's last step says done (see doneBonusRule). */
  doneBonus: number;
  /**
   * When the done bonus is paid and whether it is part of the normaliser:
   *  - 'reference-done' (default): paid only when the reference also ends with done, and only
   *    then counted in the normaliser, so a perfect forecast scores 1 whether or not the
   *    H-step window reaches the end of the task, and saying done early never pays;
   *  - 'status-match': paid when the last statuses agree (done/done or more/more), always in
   *    the normaliser;
   *  - 'always': the prototype read literally: paid whenever the last step says done, always
   *    in the normaliser (lets a policy farm the bonus by always claiming done).
   */
  doneBonusRule: 'reference-done' | 'status-match' | 'always';
  /** Per extra and per missing step (length difference). */
  coveragePenalty: number;
  /** Per position between a matched predicted step and its reference step (greedy mode). */
  shiftPenalty: number;
  /** Greedy matching accepts a pair when similarity − shift penalty ≥ this. */
  acceptThreshold: number;
  /** Per run of `repetitionRun` identical consecutive predicted steps (sliding windows). */
  repetitionPenalty: number;
  repetitionRun: number;
  /**
   * 'reference' (default): runs the reference itself has (e.g. tapping "Build number" three
   * times) are not penalised, only the excess; 'none': every run is.
   */
  repetitionExcuse: 'reference' | 'none';
  /** The length guard fires when the forecast is more than this many steps longer … */
  lengthGuardSlack: number;
  /** … and then the accuracy is this, whatever the alignment. */
  lengthGuardReward: number;
  /** total = accuracyWeight · accuracy + formatWeight · format. */
  accuracyWeight: number;
  formatWeight: number;
  /** Similarity of a same-type pair at the first reference step: type + detail weights. */
  firstTypeWeight: number;
  firstDetailWeight: number;
  /** … and at later reference steps. */
  laterTypeWeight: number;
  laterDetailWeight: number;
  /** How target descriptions and arguments are compared: token F1 or normalised exact match. */
  targetMatch: 'f1' | 'exact';
  argMatch: 'f1' | 'exact';
  /** Stage 2: total = grounded success + groundedFormatWeight · (forecast well formed). */
  groundedFormatWeight: number;
}

/** The rules each variant presets. */
export const REWARD_VARIANTS: Readonly<
  Record<RewardVariant, Readonly<Omit<RewardSettings, NumericField>>>
> = Object.freeze({
  prototype: Object.freeze({
    variant: 'prototype',
    stepIndex: 'forecast',
    matching: 'any-unused',
    coverageRule: 'unmatched',
    repetitionUnit: 'type',
    repetitionApply: 'after-clip',
    formatRule: 'step-share',
    doneBonusRule: 'always',
    repetitionExcuse: 'none',
    targetMatch: 'f1',
    argMatch: 'f1',
  }),
  tracelab: Object.freeze({
    variant: 'tracelab',
    stepIndex: 'reference',
    matching: 'in-order',
    coverageRule: 'length-difference',
    repetitionUnit: 'step',
    repetitionApply: 'in-sum',
    formatRule: 'all-or-nothing',
    doneBonusRule: 'reference-done',
    repetitionExcuse: 'reference',
    targetMatch: 'f1',
    argMatch: 'f1',
  }),
});

type NumericField = {
  [K in keyof RewardSettings]: RewardSettings[K] extends number ? K : never;
}[keyof RewardSettings];

export const DEFAULT_REWARD_SETTINGS: Readonly<RewardSettings> = Object.freeze({
  ...REWARD_VARIANTS.prototype,
  gamma: 0.8,
  doneBonus: 0.2,
  coveragePenalty: 0.15,
  shiftPenalty: 0.1,
  acceptThreshold: 0.5,
  repetitionPenalty: 0.1,
  repetitionRun: 3,
  lengthGuardSlack: 3,
  lengthGuardReward: 0.05,
  accuracyWeight: 0.9,
  formatWeight: 0.1,
  firstTypeWeight: 0.6,
  firstDetailWeight: 0.4,
  laterTypeWeight: 0.8,
  laterDetailWeight: 0.2,
  groundedFormatWeight: 0.1,
});

export class RewardSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`reward setting '${field}': ${message}`);
    this.name = 'RewardSettingsError';
  }
}

type Rule =
  | { kind: 'number'; min: number; max: number; integer?: boolean }
  | { kind: 'choice'; options: readonly string[] };

const unit: Rule = { kind: 'number', min: 0, max: 1 };
const nonNegative: Rule = { kind: 'number', min: 0, max: Infinity };

const RULES: Record<keyof RewardSettings, Rule> = {
  variant: { kind: 'choice', options: ['prototype', 'tracelab'] },
  stepIndex: { kind: 'choice', options: ['forecast', 'reference'] },
  matching: { kind: 'choice', options: ['any-unused', 'in-order'] },
  coverageRule: { kind: 'choice', options: ['unmatched', 'length-difference'] },
  repetitionUnit: { kind: 'choice', options: ['type', 'step'] },
  repetitionApply: { kind: 'choice', options: ['after-clip', 'in-sum'] },
  formatRule: { kind: 'choice', options: ['step-share', 'all-or-nothing'] },
  gamma: unit,
  doneBonus: nonNegative,
  doneBonusRule: { kind: 'choice', options: ['reference-done', 'status-match', 'always'] },
  coveragePenalty: nonNegative,
  shiftPenalty: nonNegative,
  acceptThreshold: unit,
  repetitionPenalty: nonNegative,
  repetitionRun: { kind: 'number', min: 2, max: Infinity, integer: true },
  repetitionExcuse: { kind: 'choice', options: ['reference', 'none'] },
  lengthGuardSlack: { kind: 'number', min: 0, max: Infinity, integer: true },
  lengthGuardReward: unit,
  accuracyWeight: nonNegative,
  formatWeight: nonNegative,
  firstTypeWeight: unit,
  firstDetailWeight: unit,
  laterTypeWeight: unit,
  laterDetailWeight: unit,
  targetMatch: { kind: 'choice', options: ['f1', 'exact'] },
  argMatch: { kind: 'choice', options: ['f1', 'exact'] },
  groundedFormatWeight: nonNegative,
};

/** Choices of a choice field (for the settings schema). */
export function rewardChoices(field: keyof RewardSettings): readonly string[] {
  const rule = RULES[field];
  return rule.kind === 'choice' ? rule.options : [];
}

/**
 * Defaults overridden by `overrides` (e.g. parsed from a config file), validated: an unknown
 * field, a wrong type or a value out of range throws a RewardSettingsError naming the field.
 * A `variant` first sets that variant's rules; the other overrides then apply on top.
 */
export function rewardSettings(overrides: unknown = {}): RewardSettings {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides))
    throw new RewardSettingsError('(settings)', 'must be an object');
  const out: Record<string, unknown> = { ...DEFAULT_REWARD_SETTINGS };
  const variant = (overrides as Record<string, unknown>).variant;
  if (variant !== undefined) {
    const options = (RULES.variant as { options: readonly string[] }).options;
    if (typeof variant !== 'string' || !options.includes(variant))
      throw new RewardSettingsError(
        'variant',
        `must be one of ${options.map((o) => `'${o}'`).join(', ')}, got ${JSON.stringify(variant)}`,
      );
    Object.assign(out, REWARD_VARIANTS[variant as RewardVariant]);
  }
  for (const [field, value] of Object.entries(overrides)) {
    const rule = (RULES as Record<string, Rule | undefined>)[field];
    if (!rule) throw new RewardSettingsError(field, 'unknown setting');
    if (rule.kind === 'choice') {
      if (typeof value !== 'string' || !rule.options.includes(value))
        throw new RewardSettingsError(
          field,
          `must be one of ${rule.options.map((o) => `'${o}'`).join(', ')}, got ${JSON.stringify(value)}`,
        );
    } else {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw new RewardSettingsError(
          field,
          `must be a finite number, got ${JSON.stringify(value)}`,
        );
      if (value < rule.min || value > rule.max)
        throw new RewardSettingsError(field, `must be in [${rule.min}, ${rule.max}], got ${value}`);
      if (rule.integer && !Number.isInteger(value))
        throw new RewardSettingsError(field, `must be an integer, got ${value}`);
    }
    out[field] = value;
  }
  return out as unknown as RewardSettings;
}
