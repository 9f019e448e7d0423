// Fault injection (c): 1,200 random and mutated config objects, 600 flat maps and 600 URL
// hashes. Each is either valid (and then survives a round trip through the flat form) or
// refused with a SettingsError that names the field it is about; nothing else is thrown, no
// message shows "undefined" or "[object", and a URL hash never throws at all.
import { describe, expect, it } from 'vitest';
import {
  fromFlat,
  GROUPS,
  SCHEMA,
  SETTINGS_PRESET_NAMES,
  SettingsError,
  settingsPreset,
  toFlat,
  validateSettings,
  type TrainSettings,
} from '../../src/rl/config/schema';
import { Rng } from '../../src/rng';
import { formatHash, parseHash } from '../../src/ui/train/settings-hash';

const KEYS = SCHEMA.map((f) => f.key);
const NAMED = new Set<string>([...KEYS, ...GROUPS, '(settings)', 'preset', 'model']);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];

function randomValue(rng: Rng, depth = 0): unknown {
  const k = Math.floor(rng.next() * 14);
  switch (k) {
    case 0:
      return null;
    case 1:
      return pick(rng, [Infinity, -Infinity, NaN, -0, 1e308, -1e-308, 2 ** 53 + 1]);
    case 2:
      return Math.floor(rng.next() * 20) - 5;
    case 3:
      return rng.next() * 2;
    case 4:
      return pick(rng, [true, false]);
    case 5:
      return pick(rng, ['', 'x', '1', 'cpu', 'webgpu', 'cosine', '<script>', 'train', '💥']);
    case 6:
      return depth > 2 ? [] : [randomValue(rng, depth + 1), randomValue(rng, depth + 1)];
    case 7:
      return depth > 2 ? {} : { [pick(rng, ['seed', 'x', 'C'])]: randomValue(rng, depth + 1) };
    case 8:
      return pick(rng, [['web-offline'], ['web-offline', 'web-offline'], [], ['nope']]);
    case 9:
      return Math.floor(rng.next() * 5000);
    default: {
      // A value a field of the schema would take (valid, or just outside its range).
      const f = pick(rng, SCHEMA);
      if (f.choices) return pick(rng, f.choices);
      if (f.type === 'boolean') return rng.next() < 0.5;
      const lo = f.min ?? 0;
      const hi = Math.min(f.max ?? 100, 5000);
      return rng.next() < 0.8 ? lo + (hi - lo) * rng.next() : hi + 1;
    }
  }
}

/** A value as URL text: lists comma-joined, objects as JSON (never "[object Object]"). */
const flatText = (v: unknown): string =>
  Array.isArray(v)
    ? v.map(flatText).join(',')
    : v !== null && typeof v === 'object'
      ? JSON.stringify(v)
      : String(v);

/** A config object: a random mix of presets, groups, fields and values. */
function randomConfig(rng: Rng): unknown {
  if (rng.next() < 0.05) return randomValue(rng);
  const out: Record<string, unknown> = {};
  if (rng.next() < 0.4) out.preset = rng.next() < 0.9 ? pick(rng, SETTINGS_PRESET_NAMES) : 'x';
  const fields = Math.floor(rng.next() * 5);
  for (let i = 0; i < fields; i++) {
    const key =
      rng.next() < 0.9 ? pick(rng, KEYS) : pick(rng, ['run.speed', 'model.depth', 'gpu.x']);
    const [g, name] = key.split('.');
    if (rng.next() < 0.05) out[g] = randomValue(rng);
    else {
      const group = (out[g] ??= {});
      if (group && typeof group === 'object')
        (group as Record<string, unknown>)[name] = randomValue(rng);
    }
  }
  return out;
}

/** A valid preset's nested settings with one field changed. */
function mutatedConfig(rng: Rng): unknown {
  const s = settingsPreset(pick(rng, SETTINGS_PRESET_NAMES)) as unknown as Record<
    string,
    Record<string, unknown>
  >;
  const [g, name] = pick(rng, KEYS).split('.');
  s[g][name] = randomValue(rng);
  return s;
}

function check(outcome: () => TrainSettings, input: unknown, what: string): 'valid' | 'refused' {
  let settings: TrainSettings;
  try {
    settings = outcome();
  } catch (e) {
    const shown = `${what}: ${JSON.stringify(input)}`;
    expect(e, shown).toBeInstanceOf(SettingsError);
    const { field, message } = e as SettingsError;
    expect(message, shown).toMatch(/^setting '[^']+': \S/);
    expect(message, shown).not.toMatch(/undefined|\[object /);
    // The field is a known key or group, or the unknown name exactly as the input wrote it.
    const inInput = JSON.stringify(input).includes(field.split('.').pop()!);
    expect(NAMED.has(field) || inInput, `${shown} → field '${field}'`).toBe(true);
    return 'refused';
  }
  expect(fromFlat(toFlat(settings)), `${what} round trip`).toEqual(settings);
  return 'valid';
}

describe('settings fuzz', () => {
  it('1,200 random and mutated configs: valid, or refused naming the field', () => {
    const rng = new Rng(5);
    const tally = { valid: 0, refused: 0 };
    for (let i = 0; i < 1200; i++) {
      const input = i % 2 ? randomConfig(rng) : mutatedConfig(rng);
      tally[check(() => validateSettings(input), input, `config #${i}`)]++;
    }
    console.log('configs:', tally);
    expect(tally.valid).toBeGreaterThan(100);
    expect(tally.refused).toBeGreaterThan(300);
  });

  it('600 flat maps (the URL form): valid, or refused naming the field', () => {
    const rng = new Rng(6);
    const tally = { valid: 0, refused: 0 };
    for (let i = 0; i < 600; i++) {
      const flat = toFlat(settingsPreset(pick(rng, SETTINGS_PRESET_NAMES)));
      const n = 1 + Math.floor(rng.next() * 3);
      for (let j = 0; j < n; j++) {
        const key = rng.next() < 0.95 ? pick(rng, KEYS) : 'run.nope';
        const v = randomValue(rng);
        flat[key] = flatText(v);
      }
      tally[check(() => fromFlat(flat), flat, `flat #${i}`)]++;
    }
    console.log('flat maps:', tally);
    expect(tally.refused).toBeGreaterThan(100);
  });

  it('600 URL hashes never throw; bad fields are named and dropped, the rest applies', () => {
    const rng = new Rng(8);
    const junk = ['%', '%zz', '&&', '=', '?', '#', '%E0%A4%A', 'preset', 'a=b=c', '\u0000'];
    let problems = 0;
    for (let i = 0; i < 600; i++) {
      const parts: string[] = [];
      const n = Math.floor(rng.next() * 6);
      for (let j = 0; j < n; j++) {
        const r = rng.next();
        if (r < 0.15) parts.push(pick(rng, junk));
        else {
          const key = r < 0.25 ? 'preset' : r < 0.3 ? 'run.nope' : pick(rng, KEYS);
          const value =
            key === 'preset' ? pick(rng, [...SETTINGS_PRESET_NAMES, 'x']) : randomValue(rng);
          parts.push(`${key}=${encodeURIComponent(flatText(value))}`);
        }
      }
      const hash = `#/${pick(rng, ['train', 'runs', '', 'x'])}${rng.next() < 0.9 ? '?' : ''}${parts.join('&')}`;
      const parsed = parseHash(hash);
      expect(() => validateSettings(parsed.settings), hash).not.toThrow();
      for (const p of parsed.problems) {
        expect(p.key, hash).not.toBe('');
        expect(p.message, hash).not.toMatch(/undefined|\[object /);
      }
      problems += parsed.problems.length;
      // What the page writes back reads back to the same settings.
      const again = parseHash(formatHash('train', parsed.preset, parsed.settings));
      expect(again.problems, hash).toEqual([]);
      expect(again.settings, hash).toEqual(parsed.settings);
    }
    expect(problems).toBeGreaterThan(100);
  });
});
