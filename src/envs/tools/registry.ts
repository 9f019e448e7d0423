// The uniform tool-call interface: one registry entry per tool (name, description, argument
// schema) and runTool(call), which validates arguments before running and never throws.
// Example: runTool({ tool: 'unit_convert', args: { value: 12, from: 'mi', to: 'km' } })
//   -> { ok: true, result: '19.312128' }

import { calculate } from './calculator';
import { queryKnowledge } from './knowledge';
import { readText } from './ocr';
import { TABLES, lookupTable } from './tables';
import { fail, type Screenshot, type ToolCall, type ToolResult } from './types';
import { convertUnits, unitCatalogue } from './units';

export type ArgType = 'number' | 'string';

export interface ArgSpec {
  name: string;
  type: ArgType;
  description: string;
}

/** What a tool may see besides its arguments: the current screen, for OCR. */
export interface ToolContext {
  screenshot?: Screenshot;
}

type Args = Record<string, number | string>;

export interface ToolSpec {
  name: string;
  description: string;
  args: ArgSpec[]; // all required, in the order the action language writes them
  run(args: Args, context: ToolContext): ToolResult;
}

const unitList = Object.entries(unitCatalogue())
  .map(([category, units]) => `${category}: ${units.join(' ')}`)
  .join('; ');

export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'calculator',
    description:
      'Evaluate arithmetic: + - * / ^ %, parentheses, sqrt, abs, round(x, digits), floor, ceil, min, max, pi.',
    args: [{ name: 'expression', type: 'string', description: 'e.g. round(240 * 0.175, 2)' }],
    run: (a) => calculate(a.expression as string),
  },
  {
    name: 'unit_convert',
    description: `Convert a value between units of one kind (${unitList}).`,
    args: [
      { name: 'value', type: 'number', description: 'the amount to convert' },
      { name: 'from', type: 'string', description: 'unit of the value, e.g. mi' },
      { name: 'to', type: 'string', description: 'unit wanted, e.g. km' },
    ],
    run: (a) => convertUnits(a.value as number, a.from as string, a.to as string),
  },
  {
    name: 'table_lookup',
    description: `Read one cell of a built-in table (${TABLES.map((t) => `${t.name}: ${t.columns.join(', ')}`).join('; ')}).`,
    args: [
      { name: 'table', type: 'string', description: 'table name, e.g. city population' },
      { name: 'row', type: 'string', description: 'row key, e.g. Lyon' },
      { name: 'column', type: 'string', description: 'column name, e.g. population' },
    ],
    run: (a) => lookupTable(a.table as string, a.row as string, a.column as string),
  },
  {
    name: 'knowledge',
    description:
      'Look up a fact: the object of (subject, relation), e.g. (France, capital) or (radio, inventor).',
    args: [
      { name: 'subject', type: 'string', description: 'what the fact is about' },
      { name: 'relation', type: 'string', description: 'e.g. capital, currency, inventor' },
    ],
    run: (a) => queryKnowledge(a.subject as string, a.relation as string),
  },
  {
    name: 'ocr',
    description: 'Read the text drawn inside a box of the current screenshot.',
    args: [
      { name: 'x', type: 'number', description: 'left edge in pixels' },
      { name: 'y', type: 'number', description: 'top edge in pixels' },
      { name: 'w', type: 'number', description: 'width in pixels' },
      { name: 'h', type: 'number', description: 'height in pixels' },
    ],
    run: (a, context) =>
      context.screenshot
        ? readText(context.screenshot, {
            x: a.x as number,
            y: a.y as number,
            w: a.w as number,
            h: a.h as number,
          })
        : fail('ocr needs a screenshot, and none was given'),
  },
];

export type ToolName = 'calculator' | 'unit_convert' | 'table_lookup' | 'knowledge' | 'ocr';

const TOOL_BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));

export function getTool(name: string): ToolSpec | undefined {
  return TOOL_BY_NAME.get(name.trim().toLowerCase());
}

const MAX_STRING_CHARS = 500;

/**
 * Checks a call against its tool's schema. Numbers may arrive as text ("1,250.5"), because the
 * planner writes its calls as tokens; anything else of the wrong type is an error naming the arg.
 */
export function validateCall(
  call: ToolCall,
): { ok: true; tool: ToolSpec; args: Args } | { ok: false; error: string } {
  if (typeof call !== 'object' || call === null || typeof call.tool !== 'string') {
    return { ok: false, error: 'a tool call needs a tool name' };
  }
  const tool = getTool(call.tool);
  if (!tool) {
    const names = TOOLS.map((t) => t.name).join(', ');
    return { ok: false, error: `unknown tool '${call.tool}'; tools are: ${names}` };
  }
  const given = call.args ?? {};
  if (typeof given !== 'object')
    return { ok: false, error: `${tool.name}: args must be an object` };
  const args: Args = {};
  for (const spec of tool.args) {
    const value = given[spec.name];
    if (value === undefined || value === null || value === '') {
      return { ok: false, error: `${tool.name}: missing argument '${spec.name}'` };
    }
    const checked = spec.type === 'number' ? asNumber(value) : asString(value);
    if (checked === undefined) {
      return { ok: false, error: `${tool.name}: argument '${spec.name}' must be a ${spec.type}` };
    }
    args[spec.name] = checked;
  }
  const unknown = Object.keys(given).filter((k) => !tool.args.some((a) => a.name === k));
  if (unknown.length > 0) {
    return { ok: false, error: `${tool.name}: unknown argument '${unknown[0]}'` };
  }
  return { ok: true, tool, args };
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/,(?=\d{3}\b)/g, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return undefined;
  return Number(text);
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.length > MAX_STRING_CHARS) return undefined;
  return value;
}

/** Validates and runs one call; every failure comes back as execution feedback. */
export function runTool(call: ToolCall, context: ToolContext = {}): ToolResult {
  const checked = validateCall(call);
  if (!checked.ok) return { ok: false, error: checked.error };
  return checked.tool.run(checked.args, context);
}

/** The call in the planner's action-language form: tool(arg="value", ...). */
export function formatToolCall(call: ToolCall): string {
  const spec = getTool(call.tool);
  const names = spec ? spec.args.map((a) => a.name) : Object.keys(call.args);
  const parts = names.map((n) => `${n}=${JSON.stringify(call.args[n])}`);
  return `${call.tool}(${parts.join(', ')})`;
}
