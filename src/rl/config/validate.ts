// Typed settings from untrusted input (a parsed config file, the flat form's nested map):
// defaults, then a named preset, then the input's own values, each checked against the field
// table; a SettingsError names the first field that is wrong.
import { REWARD_VARIANTS, type RewardVariant } from '../reward/settings';
import { FIELD_BY_KEY, GROUPS, SCHEMA, type FieldSpec, type FieldValue } from './fields';
import { checkCrossFields } from './model-shape';
import { SETTINGS_PRESET_NAMES, SETTINGS_PRESETS, type SettingsPresetName } from './presets';
import { SettingsError, type TrainSettings } from './settings';

const INF = Infinity;

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
