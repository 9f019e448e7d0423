// Unit-conversion tool. Example: convertUnits(12, "miles", "km") -> "19.312128".
// Every unit maps linearly to its category's base unit: base = value * factor + offset
// (offset is only non-zero for temperatures, whose base is kelvin).

import { fail, formatNumber, ok, type ToolResult } from './types';

export type UnitCategory =
  'length' | 'mass' | 'temperature' | 'time' | 'volume' | 'data size' | 'speed';

interface UnitSpec {
  category: UnitCategory;
  factor: number;
  offset?: number;
  names: string[]; // first is the canonical symbol; all are matched case-insensitively
}

const UNITS: UnitSpec[] = [
  // length, base metre
  { category: 'length', factor: 1, names: ['m', 'meter', 'metre'] },
  { category: 'length', factor: 1000, names: ['km', 'kilometer', 'kilometre'] },
  { category: 'length', factor: 0.01, names: ['cm', 'centimeter', 'centimetre'] },
  { category: 'length', factor: 0.001, names: ['mm', 'millimeter', 'millimetre'] },
  { category: 'length', factor: 1609.344, names: ['mi', 'mile'] },
  { category: 'length', factor: 0.9144, names: ['yd', 'yard'] },
  { category: 'length', factor: 0.3048, names: ['ft', 'foot', 'feet'] },
  { category: 'length', factor: 0.0254, names: ['in', 'inch', 'inches'] },
  { category: 'length', factor: 1852, names: ['nmi', 'nautical mile'] },
  // mass, base kilogram
  { category: 'mass', factor: 1, names: ['kg', 'kilogram', 'kilo'] },
  { category: 'mass', factor: 0.001, names: ['g', 'gram'] },
  { category: 'mass', factor: 1e-6, names: ['mg', 'milligram'] },
  { category: 'mass', factor: 1000, names: ['t', 'tonne', 'metric ton'] },
  { category: 'mass', factor: 0.45359237, names: ['lb', 'lbs', 'pound'] },
  { category: 'mass', factor: 0.028349523125, names: ['oz', 'ounce'] },
  // temperature, base kelvin
  { category: 'temperature', factor: 1, offset: 0, names: ['K', 'kelvin'] },
  { category: 'temperature', factor: 1, offset: 273.15, names: ['C', '°C', 'celsius', 'degc'] },
  {
    category: 'temperature',
    factor: 5 / 9,
    offset: 273.15 - (32 * 5) / 9,
    names: ['F', '°F', 'fahrenheit', 'degf'],
  },
  // time, base second
  { category: 'time', factor: 1, names: ['s', 'sec', 'second'] },
  { category: 'time', factor: 0.001, names: ['ms', 'millisecond'] },
  { category: 'time', factor: 60, names: ['min', 'minute'] },
  { category: 'time', factor: 3600, names: ['h', 'hr', 'hour'] },
  { category: 'time', factor: 86400, names: ['day', 'd'] },
  { category: 'time', factor: 604800, names: ['week', 'wk'] },
  // volume, base litre
  { category: 'volume', factor: 1, names: ['L', 'l', 'liter', 'litre'] },
  { category: 'volume', factor: 0.001, names: ['mL', 'ml', 'milliliter', 'millilitre'] },
  { category: 'volume', factor: 1000, names: ['m3', 'm³', 'cubic meter', 'cubic metre'] },
  { category: 'volume', factor: 3.785411784, names: ['gal', 'gallon', 'us gallon'] },
  { category: 'volume', factor: 0.2365882365, names: ['cup', 'us cup'] },
  { category: 'volume', factor: 0.0295735295625, names: ['fl oz', 'floz', 'fluid ounce'] },
  // data size, base byte; SI prefixes are powers of 1000, IEC (KiB…) powers of 1024
  { category: 'data size', factor: 1, names: ['B', 'byte'] },
  { category: 'data size', factor: 0.125, names: ['bit', 'b'] },
  { category: 'data size', factor: 1e3, names: ['KB', 'kilobyte'] },
  { category: 'data size', factor: 1e6, names: ['MB', 'megabyte'] },
  { category: 'data size', factor: 1e9, names: ['GB', 'gigabyte'] },
  { category: 'data size', factor: 1e12, names: ['TB', 'terabyte'] },
  { category: 'data size', factor: 1024, names: ['KiB', 'kibibyte'] },
  { category: 'data size', factor: 1024 ** 2, names: ['MiB', 'mebibyte'] },
  { category: 'data size', factor: 1024 ** 3, names: ['GiB', 'gibibyte'] },
  // speed, base metre per second
  { category: 'speed', factor: 1, names: ['m/s', 'mps', 'meters per second'] },
  { category: 'speed', factor: 1000 / 3600, names: ['km/h', 'kph', 'kmh', 'kilometers per hour'] },
  { category: 'speed', factor: 1609.344 / 3600, names: ['mph', 'miles per hour'] },
  { category: 'speed', factor: 1852 / 3600, names: ['kn', 'knot'] },
];

// Case matters only where it tells units apart: "b" is a bit, "B" a byte. Everything else is
// looked up in lower case, with plurals ("miles", "hours") accepted.
const EXACT = new Map<string, UnitSpec>();
const LOWER = new Map<string, UnitSpec>();
for (const unit of UNITS) {
  for (const name of unit.names) {
    EXACT.set(name, unit);
    const lower = name.toLowerCase();
    if (!LOWER.has(lower) || lower === name) LOWER.set(lower, unit);
    if (/^[a-z ]{3,}$/.test(lower) && !lower.endsWith('s')) LOWER.set(`${lower}s`, unit);
  }
}

function findUnit(name: string): UnitSpec | undefined {
  const clean = name
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^deg(rees?)? /i, '');
  return EXACT.get(clean) ?? LOWER.get(clean.toLowerCase());
}

/** The unit categories and their canonical symbols, for tool descriptions. */
export function unitCatalogue(): Record<UnitCategory, string[]> {
  const out = {} as Record<UnitCategory, string[]>;
  for (const unit of UNITS) (out[unit.category] ??= []).push(unit.names[0]);
  return out;
}

export function convertUnits(value: number, from: string, to: string): ToolResult {
  if (!Number.isFinite(value)) return fail('value must be a finite number');
  const source = findUnit(from);
  if (!source) return fail(`unknown unit '${from}'`);
  const target = findUnit(to);
  if (!target) return fail(`unknown unit '${to}'`);
  if (source.category !== target.category) {
    return fail(
      `cannot convert ${source.category} (${source.names[0]}) to ${target.category} (${target.names[0]})`,
    );
  }
  const base = value * source.factor + (source.offset ?? 0);
  if (source.category === 'temperature' && base < 0) return fail('temperature below absolute zero');
  return ok(formatNumber((base - (target.offset ?? 0)) / target.factor));
}
