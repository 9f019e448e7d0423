// The run-setup form's data: every schema field as the text its input holds (the draft), and
// the check that turns a draft into settings or into one message per bad field. Checking goes
// through the schema's own fromFlat, so the form refuses exactly what a config file or a link
// would; after each refusal the field is set back to the preset's value and the rest checked
// again, so every bad field gets its own message.
import {
  FIELD_BY_KEY,
  fromFlat,
  SCHEMA,
  SettingsError,
  settingsPreset,
  toFlat,
  type FieldSpec,
  type SettingsPresetName,
  type TrainSettings,
} from '../../rl/config/schema';

/** Every schema key → the text of its input ('' for a model field left to the preset). */
export type Draft = Record<string, string>;

export interface DraftCheck {
  /** The settings, when every field is valid. */
  settings: TrainSettings | null;
  /** Flat key → what is wrong, in words, for the message beside the field. */
  errors: Record<string, string>;
}

export function draftOf(settings: TrainSettings): Draft {
  const flat = toFlat(settings);
  return Object.fromEntries(SCHEMA.map((f) => [f.key, flat[f.key] ?? '']));
}

/** "must be ≤ 64, got 999" → "Must be ≤ 64, got 999"; "(63) must be…" → "Width (63) must be…". */
export function fieldMessage(f: FieldSpec, e: SettingsError): string {
  const text = e.message.replace(/^setting '[^']*': /, '');
  return text.startsWith('(') ? `${f.label} ${text}` : text[0].toUpperCase() + text.slice(1);
}

export function checkDraft(draft: Draft, preset: SettingsPresetName): DraftCheck {
  const fallback = toFlat(settingsPreset(preset));
  const flat: Record<string, string> = {};
  for (const f of SCHEMA) {
    const text = (draft[f.key] ?? '').trim();
    // An empty model field means "the model preset's value": leave it out (null).
    if (!(text === '' && f.default === null)) flat[f.key] = text;
  }
  const errors: Record<string, string> = {};
  for (let tries = 0; tries <= SCHEMA.length; tries++) {
    try {
      const settings = fromFlat(flat);
      return { settings: Object.keys(errors).length === 0 ? settings : null, errors };
    } catch (e) {
      if (!(e instanceof SettingsError)) throw e;
      const f = FIELD_BY_KEY.get(e.field);
      if (!f || errors[f.key] !== undefined) {
        errors[f?.key ?? '(settings)'] ??= e.message;
        break;
      }
      errors[f.key] = fieldMessage(f, e);
      if (fallback[f.key] === undefined) delete flat[f.key];
      else flat[f.key] = fallback[f.key];
    }
  }
  return { settings: null, errors };
}
