// The planner's shape a run's settings give: the model preset with the set model fields laid
// over it, and the checks that only the whole shape can fail (heads, prompt room, memory).
import { forecastBudget, PRESETS, type PlannerConfig } from '../model/config';
import { estimateTrainingMemory, formatBytes, MAX_TRAINING_BYTES } from './memory';
import { SettingsError, type TrainSettings } from './settings';

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

/** Throws a SettingsError when the shape as a whole cannot train (the fields are each valid). */
export function checkCrossFields(s: TrainSettings): void {
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
