// Settings of the stage-1 trajectory reward, one object, every coefficient visible. Defaults are
// the first author's public prototype (DESIGN.md §1, issue 4 §5).

export interface RewardSettings {
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

export const DEFAULT_REWARD_SETTINGS: Readonly<RewardSettings> = Object.freeze({
  gamma: 0.8,
  doneBonus: 0.2,
  doneBonusRule: 'reference-done',
  coveragePenalty: 0.15,
  shiftPenalty: 0.1,
  acceptThreshold: 0.5,
  repetitionPenalty: 0.1,
  repetitionRun: 3,
  repetitionExcuse: 'reference',
  lengthGuardSlack: 3,
  lengthGuardReward: 0.05,
  accuracyWeight: 0.9,
  formatWeight: 0.1,
  firstTypeWeight: 0.6,
  firstDetailWeight: 0.4,
  laterTypeWeight: 0.8,
  laterDetailWeight: 0.2,
  targetMatch: 'f1',
  argMatch: 'f1',
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

/**
 * Defaults overridden by `overrides` (e.g. parsed from a config file), validated: an unknown
 * field, a wrong type or a value out of range throws a RewardSettingsError naming the field.
 */
export function rewardSettings(overrides: unknown = {}): RewardSettings {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides))
    throw new RewardSettingsError('(settings)', 'must be an object');
  const out: Record<string, unknown> = { ...DEFAULT_REWARD_SETTINGS };
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
