// The flat form of settings: a `key → string` map, as the URL hash holds it.
import { FIELD_BY_KEY, SCHEMA, type FieldSpec, type FieldValue } from './fields';
import { SettingsError, type TrainSettings } from './settings';
import { validateSettings } from './validate';

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
