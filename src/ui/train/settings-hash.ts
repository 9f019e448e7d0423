// The Train page's settings in the URL hash, so a link reproduces a run:
//
//   #/train?preset=quick-demo&grpo.groupSize=3&run.seed=7
//
// The view comes first (the nav reads it), then the preset the settings start from, then only
// the fields that differ from that preset (an emptied model field is written `model.C=`, "the
// model preset's value"). Reading is forgiving: an unknown key or a bad value is left out and
// reported, the rest of the link still applies.
import {
  FIELD_BY_KEY,
  fromFlat,
  SETTINGS_PRESETS,
  SettingsError,
  settingsPreset,
  toFlat,
  type SettingsPresetName,
  type TrainSettings,
} from '../../rl/config/schema';

export const DEFAULT_PRESET: SettingsPresetName = 'quick-demo';

export interface HashProblem {
  /** The key as written in the link. */
  key: string;
  message: string;
}

export interface ParsedHash {
  view: string;
  preset: SettingsPresetName;
  settings: TrainSettings;
  /** Fields the link set (after dropping the bad ones), as flat strings. */
  overrides: Record<string, string>;
  problems: HashProblem[];
}

function isPreset(name: string): name is SettingsPresetName {
  return Object.hasOwn(SETTINGS_PRESETS, name);
}

/** The view part of a hash: '#/train?…' → 'train'. */
export function viewOfHash(hash: string): string {
  return hash.replace(/^#\/?/, '').split('?')[0];
}

/** The settings part of a hash as ordered [key, value] pairs (undecodable text kept raw). */
function queryOf(hash: string): [string, string][] {
  const q = hash.indexOf('?');
  if (q < 0) return [];
  try {
    return [...new URLSearchParams(hash.slice(q + 1)).entries()];
  } catch {
    return [];
  }
}

function withoutPrefix(e: SettingsError): string {
  return e.message.replace(/^setting '[^']*': /, '');
}

export function parseHash(hash: string): ParsedHash {
  const problems: HashProblem[] = [];
  let preset = DEFAULT_PRESET;
  const fields = new Map<string, string>();
  for (const [key, value] of queryOf(hash)) {
    if (key === 'preset') {
      if (isPreset(value)) preset = value;
      else problems.push({ key, message: `'${value}' is not a preset` });
    } else if (!FIELD_BY_KEY.has(key)) {
      if (key !== '') problems.push({ key, message: 'is not a setting' });
    } else fields.set(key, value); // a repeated key: the last one wins
  }
  const base = toFlat(settingsPreset(preset));
  const overrides: Record<string, string> = {};
  let settings = fromFlat(base);
  // One field at a time, so a bad value is named and dropped while the others still apply.
  for (const [key, value] of fields) {
    try {
      settings = fromFlat({ ...base, ...overrides, [key]: value });
      overrides[key] = value;
    } catch (e) {
      if (!(e instanceof SettingsError)) throw e;
      problems.push({ key, message: withoutPrefix(e) });
    }
  }
  return { view: viewOfHash(hash), preset, settings, overrides, problems };
}

/** Fields of `settings` that differ from the preset's, as flat strings ('' = cleared). */
export function changedFields(
  settings: TrainSettings,
  preset: SettingsPresetName,
): Record<string, string> {
  const base = toFlat(settingsPreset(preset));
  const now = toFlat(settings);
  const out: Record<string, string> = {};
  for (const key of FIELD_BY_KEY.keys()) {
    if (now[key] === base[key]) continue;
    out[key] = now[key] ?? '';
  }
  return out;
}

export function formatHash(view: string, preset: SettingsPresetName, settings: TrainSettings) {
  const params = new URLSearchParams({ preset, ...changedFields(settings, preset) });
  // Keys hold dots and values commas: both are safe in a fragment, keep them readable.
  return `#/${view}?${params.toString().replaceAll('%2C', ',')}`;
}
