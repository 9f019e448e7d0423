// Tool steps: a toolbox call ↔ a `tool` step (target = tool name, argument = its values).
import { formatToolCall, getTool, type ToolCall } from '../../envs/tools';
import type { PlanStep } from './plan-step';

/** Separates positional tool arguments: `table_lookup "city population; Lyon; population"`. */
const ARG_SEP = ';';

/**
 * A call's arguments as the planner writes them: the values in the tool's argument order,
 * separated by `; ` (`Japan; capital`), about a third of the tokens of the named form. A call
 * of an unknown tool or with a `;` inside a value is written named, as formatToolCall does
 * (`name="text", name=12`); stepToToolCall reads both.
 */
export function toolCallArgs(call: ToolCall): string {
  const spec = getTool(call.tool);
  const values = spec?.args.map((a) => call.args[a.name]);
  const positional =
    values !== undefined &&
    values.every((v) => typeof v === 'number' || (typeof v === 'string' && !v.includes(ARG_SEP)));
  if (positional) return values.map((v) => String(v)).join(`${ARG_SEP} `);
  const written = formatToolCall(call);
  return written.slice(call.tool.length + 1, -1);
}

/** A reference tool call as a plan step (status `more`: an answer always follows). */
export function toolStepOf(call: ToolCall): PlanStep {
  return { type: 'tool', target: call.tool, arg: toolCallArgs(call), status: 'more' };
}

export type ToolStepCall = { ok: true; call: ToolCall } | { ok: false; error: string };

/**
 * The ToolCall a `tool` step writes: the tool name from the target, the arguments either
 * positional (`v1; v2`, in the tool's argument order; a value of a number argument that reads
 * as a number becomes one) or named, `name=value, …` where each value is JSON (a number or a
 * quoted string) or, leniently, bare text up to the next comma. The toolbox validates names
 * and types; this only reads the form.
 */
export function stepToToolCall(step: PlanStep): ToolStepCall {
  if (step.type !== 'tool')
    return { ok: false, error: `a ${step.type ?? '?'} step is not a tool call` };
  const tool = step.target?.trim();
  if (!tool) return { ok: false, error: 'tool step without a tool name' };
  const text = step.arg ?? '';
  const args = NAMED_ARG.test(text) ? parseToolArgs(text) : positionalArgs(tool, text);
  return 'error' in args
    ? { ok: false, error: `${tool}: ${args.error}` }
    : { ok: true, call: { tool, args } };
}

const NAMED_ARG = /^\s*[A-Za-z_]\w*\s*=/;

/** `v1; v2; …` → { name: value } by the tool's argument order; an error names the mismatch. */
function positionalArgs(tool: string, text: string): Record<string, unknown> | { error: string } {
  const spec = getTool(tool);
  if (!spec) return { error: `unknown tool (arguments without names need a known tool)` };
  const values = text.trim() === '' ? [] : text.split(ARG_SEP).map((v) => v.trim());
  if (values.length !== spec.args.length)
    return {
      error: `takes ${spec.args.length} argument(s) (${spec.args.map((a) => a.name).join('; ')}), got ${values.length}`,
    };
  const args: Record<string, unknown> = {};
  spec.args.forEach((a, i) => {
    const n = Number(values[i]);
    args[a.name] = a.type === 'number' && values[i] !== '' && Number.isFinite(n) ? n : values[i];
  });
  return args;
}

/** `name=value, …` → { name: value }; an error names the first part it cannot read. */
export function parseToolArgs(text: string): Record<string, unknown> | { error: string } {
  const args: Record<string, unknown> = {};
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  skipSpace();
  while (i < text.length) {
    const name = /^([A-Za-z_]\w*)\s*=\s*/.exec(text.slice(i));
    if (!name) return { error: `cannot read an argument name at ${JSON.stringify(text.slice(i))}` };
    i += name[0].length;
    let value: unknown;
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return { error: `argument '${name[1]}': unterminated string` };
      try {
        value = JSON.parse(text.slice(i, j + 1));
      } catch {
        return { error: `argument '${name[1]}': bad string ${text.slice(i, j + 1)}` };
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',') j++;
      const raw = text.slice(i, j).trim();
      const n = Number(raw);
      value = raw !== '' && Number.isFinite(n) ? n : raw;
      i = j;
    }
    if (name[1] in args) return { error: `argument '${name[1]}' given twice` };
    args[name[1]] = value;
    skipSpace();
    if (i < text.length) {
      if (text[i] !== ',') return { error: `expected ',' at ${JSON.stringify(text.slice(i))}` };
      i++;
      skipSpace();
    }
  }
  return args;
}
