import { describe, expect, it } from 'vitest';
import { calculate } from '../../src/envs/tools/calculator';
import { followRelations, queryKnowledge } from '../../src/envs/tools/knowledge';
import { formatToolCall, runTool, TOOLS, validateCall } from '../../src/envs/tools/registry';
import { lookupTable } from '../../src/envs/tools/tables';
import { convertUnits } from '../../src/envs/tools/units';
import type { ToolResult } from '../../src/envs/tools/types';

const value = (r: ToolResult): string => {
  if (!r.ok) throw new Error(`expected ok, got error: ${r.error}`);
  return r.result;
};
const error = (r: ToolResult): string => {
  if (r.ok) throw new Error(`expected an error, got result ${r.result}`);
  return r.error;
};

describe('calculator', () => {
  it.each([
    ['1 + 2 * 3', '7'],
    ['(1 + 2) * 3', '9'],
    ['2 ^ 3 ^ 2', '512'], // right-associative
    ['-2 ^ 2', '-4'], // power binds tighter than unary minus
    ['2 ^ -1', '0.5'],
    ['--3', '3'],
    ['10 % 4', '2'],
    ['7 / 2', '3.5'],
    ['0.1 + 0.2', '0.3'], // floating-point noise is formatted away
    ['.5 * 4', '2'],
    ['1.5e3 + 1', '1501'],
    ['12 × 3 ÷ 4 − 1', '8'],
    ['2 ** 10', '1024'],
    ['sqrt(16) + abs(-2)', '6'],
    ['round(2.345, 2)', '2.35'],
    ['round(1.005, 2)', '1.01'],
    ['round(-2.5)', '-3'], // half away from zero
    ['floor(2.7) + ceil(2.1)', '5'],
    ['min(4, 2, 8) + max(1, 9)', '11'],
    ['round(pi, 4)', '3.1416'],
    ['  240 * 17.5 / 100 ', '42'],
  ])('%s = %s', (expression, expected) => {
    expect(value(calculate(expression))).toBe(expected);
  });

  it.each([
    ['1 / 0', 'division by zero'],
    ['5 % 0', 'modulo by zero'],
    ['', 'empty expression'],
    ['1 +', 'expression ends too early'],
    ['(1 + 2', "expected ')'"],
    ['1 + 2)', "unexpected ')'"],
    ['2 3', "unexpected '3'"],
    ['1..2', 'malformed number'],
    ['foo(2)', "unknown name 'foo'"],
    ['sqrt(-4)', 'square root of a negative number'],
    ['sqrt(1, 2)', 'sqrt takes 1 argument(s), got 2'],
    ['round(2.5, 1.5)', 'round digits'],
    ['(-8) ^ (1/3)', 'not a real number'],
    ['10 ^ 400', 'too large'],
    ['alert(1); 2', "unexpected character ';'"],
    ['process.exit()', 'malformed number at position 8'],
  ])('%j fails with %j', (expression, message) => {
    expect(error(calculate(expression))).toContain(message);
  });

  it('refuses hostile nesting and length without throwing', () => {
    expect(error(calculate('('.repeat(200) + '1' + ')'.repeat(200)))).toContain('nested');
    expect(error(calculate('-'.repeat(200) + '1'))).toContain('nested');
    expect(error(calculate('1+'.repeat(300) + '1'))).toContain('longer than');
  });
});

describe('unit conversion', () => {
  it.each([
    [12, 'miles', 'km', '19.312128'],
    [1, 'km', 'm', '1000'],
    [100, 'C', 'F', '212'],
    [32, '°F', 'celsius', '0'],
    [0, 'K', 'C', '-273.15'],
    [2, 'lb', 'kg', '0.90718474'],
    [1.5, 'hours', 'min', '90'],
    [1, 'week', 'days', '7'],
    [1, 'gallon', 'L', '3.785411784'],
    [1, 'GiB', 'MiB', '1024'],
    [1, 'GB', 'MB', '1000'],
    [8, 'b', 'B', '1'], // bits vs bytes: case matters here only
    [100, 'km/h', 'm/s', '27.7777777778'],
    [60, 'mph', 'km/h', '96.56064'],
    [3, 'feet', 'inches', '36'],
  ])('%d %s -> %s = %s', (v, from, to, expected) => {
    expect(value(convertUnits(v, from, to))).toBe(expected);
  });

  it('names unknown and incompatible units', () => {
    expect(error(convertUnits(1, 'furlong', 'm'))).toBe("unknown unit 'furlong'");
    expect(error(convertUnits(1, 'm', 'parsec'))).toBe("unknown unit 'parsec'");
    expect(error(convertUnits(1, 'kg', 'm'))).toBe('cannot convert mass (kg) to length (m)');
    expect(error(convertUnits(-300, 'C', 'K'))).toContain('absolute zero');
    expect(error(convertUnits(Number.NaN, 'm', 'km'))).toContain('finite');
  });
});

describe('table lookup', () => {
  it('reads cells with normalised keys', () => {
    expect(value(lookupTable('city population', 'Lyon', 'population'))).toBe('522000');
    expect(value(lookupTable('City_Population', '  mexico-city ', 'Country'))).toBe('Mexico');
    expect(value(lookupTable('product price', 'desk lamp', 'price usd'))).toBe('27.4');
    expect(value(lookupTable('flight time', 'paris to tokyo', 'hours'))).toBe('13.5');
    expect(value(lookupTable('exchange rate', 'jpy', 'per usd'))).toBe('151.4');
  });

  it('does not guess: errors name the missing key', () => {
    expect(error(lookupTable('city population', 'Lyons', 'population'))).toBe(
      "no city 'Lyons' in table 'city population'",
    );
    expect(error(lookupTable('city population', 'Lyon', 'mayor'))).toContain("no column 'mayor'");
    expect(error(lookupTable('city population', 'Lyon', 'mayor'))).toContain(
      'population, area km2',
    );
    expect(error(lookupTable('weather', 'Lyon', 'rain'))).toContain("no table 'weather'");
    expect(error(lookupTable('flight time', 'Tokyo to Paris', 'hours'))).toContain(
      "no route 'Tokyo to Paris'",
    );
  });
});

describe('knowledge base', () => {
  it('answers (subject, relation) with normalised keys and aliases', () => {
    expect(value(queryKnowledge('Japan', 'capital'))).toBe('Tokyo');
    expect(value(queryKnowledge('japan', 'Capital City'))).toBe('Tokyo');
    expect(value(queryKnowledge('Tokyo', 'located in'))).toBe('Japan');
    expect(value(queryKnowledge('radio', 'invented by'))).toBe('Guglielmo Marconi');
    expect(value(queryKnowledge('tim berners lee', 'birth country'))).toBe('United Kingdom');
    expect(value(queryKnowledge('newton', 'measures'))).toBe('force');
    expect(value(queryKnowledge('Wi-Fi', 'settings section'))).toBe('Network');
    expect(value(queryKnowledge('dark theme', 'settings section'))).toBe('Display');
  });

  it('chains answers across hops', () => {
    expect(followRelations('diesel engine', ['inventor', 'birth country', 'capital'])).toEqual([
      'Rudolf Diesel',
      'France',
      'Paris',
    ]);
  });

  it('names unknown subjects and lists known relations', () => {
    expect(error(queryKnowledge('Atlantis', 'capital'))).toBe("no facts about 'Atlantis'");
    const e = error(queryKnowledge('France', 'anthem'));
    expect(e).toContain("no relation 'anthem'");
    expect(e).toContain('capital');
    expect(e).toContain('currency');
  });
});

describe('tool registry and runTool', () => {
  it('describes every tool with a schema', () => {
    expect(TOOLS.map((t) => t.name)).toEqual([
      'calculator',
      'unit_convert',
      'table_lookup',
      'knowledge',
      'ocr',
    ]);
    for (const tool of TOOLS) {
      expect(tool.description.length).toBeGreaterThan(10);
      expect(tool.args.length).toBeGreaterThan(0);
    }
  });

  it('runs valid calls, coercing numeric text', () => {
    expect(value(runTool({ tool: 'calculator', args: { expression: '6*7' } }))).toBe('42');
    expect(
      value(runTool({ tool: 'unit_convert', args: { value: '1,000', from: 'm', to: 'km' } })),
    ).toBe('1');
    expect(
      value(
        runTool({
          tool: 'table_lookup',
          args: { table: 'product price', row: 'Kettle', column: 'stock' },
        }),
      ),
    ).toBe('18');
    expect(
      value(runTool({ tool: 'knowledge', args: { subject: 'Kenya', relation: 'currency' } })),
    ).toBe('KES');
  });

  it('returns clear errors for bad calls and never throws', () => {
    expect(error(runTool({ tool: 'weather', args: {} }))).toContain("unknown tool 'weather'");
    expect(error(runTool({ tool: 'calculator', args: {} }))).toBe(
      "calculator: missing argument 'expression'",
    );
    expect(
      error(runTool({ tool: 'unit_convert', args: { value: 'ten', from: 'm', to: 'km' } })),
    ).toBe("unit_convert: argument 'value' must be a number");
    expect(error(runTool({ tool: 'calculator', args: { expression: '1', mode: 'x' } }))).toBe(
      "calculator: unknown argument 'mode'",
    );
    expect(error(runTool({ tool: 'ocr', args: { x: 0, y: 0, w: 10, h: 10 } }))).toContain(
      'needs a screenshot',
    );
    expect(error(runTool(null as never))).toContain('tool name');
    expect(error(runTool({ tool: 'calculator', args: { expression: { a: 1 } } }))).toContain(
      'must be a string',
    );
    expect(validateCall({ tool: 'Calculator', args: { expression: '1' } }).ok).toBe(true);
  });

  it('formats calls in the action-language form', () => {
    expect(formatToolCall({ tool: 'unit_convert', args: { to: 'km', value: 3, from: 'mi' } })).toBe(
      'unit_convert(value=3, from="mi", to="km")',
    );
  });
});
