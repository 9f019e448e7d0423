// The planner's action language: the writer (oracle reference steps → text and token ids), the
// tokenizer between text and ids, the parser (ids as the model samples them → steps and
// precise format errors) and the mapping from a parsed step to an executable world action.
//
// Grammar (grammar.ts), one step per forecast position, at most H steps:
//   forecast := step ( '|' step )* <eos>
//   step     := TYPE [ '[' target ']' ] [ '"' argument '"' ] STATUS
//   click [the Wi-Fi toggle] more | type [the Subject field] "hi" more | done done
// The target is the world's grounding description; the argument is the typed text, the scroll
// direction, the app name or the answer. Status `done` marks the step that ends the task: the
// writer puts it on the oracle's final `done` step only, so a window that stops before the end
// of the task is all `more`. Tool-use tasks add the `tool` step: target = tool name, argument =
// the call's values in the tool's argument order (`tool [knowledge] "Japan; capital" more`);
// stepToToolCall reads it back (and the named form `subject=\"Japan\", relation=…` too).
// In the text form, `\` escapes `\`, `]` inside a target and `"` inside an argument; the token
// form needs no escapes (content characters and delimiters are different tokens).
import { APPS } from '../../envs/registry';
import type { RefStep } from '../../envs/oracle';
import { formatToolCall, getTool, type ToolCall } from '../../envs/tools';
import type { Action, Direction } from '../../envs/types';
import { DIRECTIONS, FIELDS, isStatus, isStepType, type Status, type StepType } from './grammar';
import type { Vocab } from './vocab';

/** One step of a forecast, as written or as parsed. */
export interface PlanStep {
  /** null when the parser found no valid action type. */
  type: StepType | null;
  target?: string;
  arg?: string;
  /** Absent in history steps, and in parsed steps that lack one. */
  status?: Status;
}

// ---------------------------------------------------------------------------------------------
// Writer

/** A reference step in the action language; the oracle's `done` step carries status `done`. */
export function planStepOf(ref: RefStep): PlanStep {
  const step: PlanStep = { type: ref.type };
  if (ref.target !== undefined && FIELDS[ref.type].target !== 'forbidden') step.target = ref.target;
  if (ref.arg !== undefined && FIELDS[ref.type].arg !== 'forbidden') step.arg = ref.arg;
  step.status = ref.type === 'done' ? 'done' : 'more';
  return step;
}

/** The first H reference steps as a forecast target (nothing follows a `done` step). */
export function referencePlan(refs: readonly RefStep[], H: number): PlanStep[] {
  const out: PlanStep[] = [];
  for (const ref of refs.slice(0, H)) {
    out.push(planStepOf(ref));
    if (ref.type === 'done') break;
  }
  return out;
}

const escapeTarget = (s: string) => s.replace(/[\\\]]/g, (c) => `\\${c}`);
const escapeArg = (s: string) => s.replace(/[\\"]/g, (c) => `\\${c}`);

/** Text of one step: `type [target] "arg" status` (absent parts left out). */
export function stepText(step: PlanStep): string {
  const parts: string[] = [step.type ?? '?'];
  if (step.target !== undefined) parts.push(`[${escapeTarget(step.target)}]`);
  if (step.arg !== undefined) parts.push(`"${escapeArg(step.arg)}"`);
  if (step.status !== undefined) parts.push(step.status);
  return parts.join(' ');
}

/** Text of a forecast (no end token: that exists only in the token form). */
export function planText(steps: readonly PlanStep[]): string {
  return steps.map(stepText).join(' | ');
}

/** Token ids of one step; a step with no type cannot be written. */
export function stepIds(vocab: Vocab, step: PlanStep): number[] {
  if (step.type === null) throw new Error('stepIds: a step without an action type');
  const typeId = vocab.stepType(step.type);
  if (typeId === undefined)
    throw new Error(
      `stepIds: this vocabulary has no <act:${step.type}> token (it predates tool steps; rebuild it with npm run train -- --rebuild-vocab)`,
    );
  const ids = [typeId];
  if (step.target !== undefined)
    ids.push(vocab.symbol('open'), ...vocab.encodeText(step.target), vocab.symbol('close'));
  if (step.arg !== undefined)
    ids.push(vocab.symbol('quote'), ...vocab.encodeText(step.arg), vocab.symbol('quote'));
  if (step.status !== undefined) ids.push(vocab.status(step.status));
  return ids;
}

/** Token ids of a forecast, ending with <eos>. */
export function planIds(vocab: Vocab, steps: readonly PlanStep[]): number[] {
  const ids: number[] = [];
  steps.forEach((s, i) => {
    if (i > 0) ids.push(vocab.symbol('sep'));
    ids.push(...stepIds(vocab, s));
  });
  ids.push(vocab.eos);
  return ids;
}

export interface WrittenForecast {
  steps: PlanStep[];
  text: string;
  /** Ends with <eos>. */
  ids: number[];
}

/** The forecast target for a prompt: the oracle's next H steps. */
export function writeForecast(vocab: Vocab, refs: readonly RefStep[], H: number): WrittenForecast {
  const steps = referencePlan(refs, H);
  return { steps, text: planText(steps), ids: planIds(vocab, steps) };
}

/** History for the prompt: the last k executed steps, without status or end token. */
export function historyIds(vocab: Vocab, executed: readonly RefStep[], k: number): number[] {
  const ids: number[] = [];
  executed.slice(Math.max(0, executed.length - k)).forEach((ref, i) => {
    if (i > 0) ids.push(vocab.symbol('sep'));
    ids.push(...stepIds(vocab, { ...planStepOf(ref), status: undefined }));
  });
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Tokenizer: text ↔ ids

/** Content up to the unescaped `close` character; `end` is past it, or -1 if it never came. */
function readContent(text: string, from: number, close: string): { content: string; end: number } {
  let content = '';
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      content += text[++i];
      continue;
    }
    if (ch === close) return { content, end: i + 1 };
    content += ch;
  }
  return { content, end: -1 };
}

const SPECIAL_TEXT = /^<(pad|bos|sep|eos|unk)>/;

/**
 * Token ids of a forecast text (no <eos> added). Exact inverse of idsToText for everything the
 * writer produces; any other text still tokenizes (bare words become content tokens).
 */
export function textToIds(vocab: Vocab, text: string): number[] {
  const ids: number[] = [];
  let expectType = true;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '[' || ch === '"') {
      const isTarget = ch === '[';
      ids.push(vocab.symbol(isTarget ? 'open' : 'quote'));
      const { content, end } = readContent(text, i + 1, isTarget ? ']' : '"');
      ids.push(...vocab.encodeText(content));
      if (end >= 0) ids.push(vocab.symbol(isTarget ? 'close' : 'quote'));
      i = end >= 0 ? end : text.length;
      expectType = false;
      continue;
    }
    if (ch === '|' || ch === ']') {
      ids.push(vocab.symbol(ch === '|' ? 'sep' : 'close'));
      expectType = ch === '|';
      i++;
      continue;
    }
    const special = SPECIAL_TEXT.exec(text.slice(i));
    if (special) {
      ids.push(vocab.special(special[1] as 'pad'));
      i += special[0].length;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s[\]"|]/.test(text[j])) j++;
    const word = text.slice(i, j);
    i = j;
    const typeId = isStepType(word) ? vocab.stepType(word) : undefined;
    if (typeId !== undefined && (expectType || !isStatus(word))) ids.push(typeId);
    else if (isStatus(word)) ids.push(vocab.status(word));
    else ids.push(...vocab.encodeText(word));
    expectType = false;
  }
  return ids;
}

/** Text of forecast ids, up to the first <eos>. */
export function idsToText(vocab: Vocab, ids: readonly number[]): string {
  const parts: string[] = [];
  const open = vocab.symbol('open');
  const close = vocab.symbol('close');
  const quote = vocab.symbol('quote');
  const sep = vocab.symbol('sep');
  const contentRun = (from: number): number => {
    let j = from;
    while (j < ids.length && vocab.isContent(ids[j])) j++;
    return j;
  };
  let i = 0;
  while (i < ids.length && ids[i] !== vocab.eos) {
    const id = ids[i];
    if (id === open || id === quote) {
      const j = contentRun(i + 1);
      const content = vocab.decodeText(ids.slice(i + 1, j));
      const closer = id === open ? close : quote;
      const closed = j < ids.length && ids[j] === closer;
      parts.push(
        id === open
          ? `[${escapeTarget(content)}${closed ? ']' : ''}`
          : `"${escapeArg(content)}${closed ? '"' : ''}`,
      );
      i = closed ? j + 1 : j;
    } else if (id === sep) {
      parts.push('|');
      i++;
    } else if (vocab.isContent(id)) {
      const j = contentRun(i);
      parts.push(vocab.decodeText(ids.slice(i, j)));
      i = j;
    } else {
      // Keywords and a stray ']' as written; specials and roles as their keys.
      const info = vocab.infos[id];
      const plain = info && ['action', 'status', 'symbol'].includes(info.kind);
      parts.push(plain ? info.text : vocab.tokenText(id));
      i++;
    }
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Parser

export type FormatErrorCode =
  /** Nothing where a step should be: an empty forecast, `| |`, a trailing `|`. */
  | 'empty-step'
  /** The step does not start with an action type (a misspelt word, a status, a bracket…). */
  | 'unknown-type'
  /** `[` without `]`, or `]` without `[`. */
  | 'missing-bracket'
  | 'unterminated-quote'
  | 'missing-status'
  /** Words outside brackets and quotes, between a step's parts. */
  | 'unexpected-text'
  /** A second target or a second argument in one step. */
  | 'duplicate-field'
  /** Tokens after a step's status, or after <eos>. */
  | 'trailing-garbage'
  | 'too-many-steps'
  /** No <eos>: the forecast was cut off. */
  | 'missing-end'
  | 'missing-target'
  | 'missing-argument'
  /** A target or an argument on a type that takes none (e.g. `back [x]`). */
  | 'unexpected-field'
  /** A scroll whose argument is not up, down, left or right. */
  | 'bad-direction'
  /** Status `done` on a step that is not the last. */
  | 'early-done'
  /** The `done` action with status `more`. */
  | 'done-status';

export interface FormatError {
  code: FormatErrorCode;
  /** 0-based step index, or -1 for the forecast as a whole. */
  step: number;
  /** Token index where it was noticed. */
  at: number;
  message: string;
}

export interface ParseResult {
  steps: PlanStep[];
  errors: FormatError[];
  /** <eos> was found. */
  ended: boolean;
  /** Index of <eos>, or ids.length. */
  end: number;
}

export interface ParseOptions {
  /** Most steps allowed (the horizon H). */
  H: number;
}

/** Steps and format errors of sampled ids; never throws, whatever the ids. */
export function parseForecast(
  vocab: Vocab,
  ids: readonly number[],
  opts: ParseOptions,
): ParseResult {
  const errors: FormatError[] = [];
  const steps: PlanStep[] = [];
  const err = (code: FormatErrorCode, step: number, at: number, message: string) =>
    errors.push({ code, step, at, message });
  const show = (from: number, to: number) => JSON.stringify(idsToText(vocab, ids.slice(from, to)));
  const eosAt = ids.indexOf(vocab.eos);
  const ended = eosAt >= 0;
  const limit = ended ? eosAt : ids.length;
  const [open, close, quote, sep] = [
    vocab.symbol('open'),
    vocab.symbol('close'),
    vocab.symbol('quote'),
    vocab.symbol('sep'),
  ];
  const kind = (i: number) => (i < limit ? vocab.infos[ids[i]]?.kind : undefined);
  const contentEnd = (from: number) => {
    let j = from;
    while (j < limit && vocab.isContent(ids[j])) j++;
    return j;
  };

  let i = 0;
  for (;;) {
    const n = steps.length;
    if (i >= limit || ids[i] === sep) {
      err(
        'empty-step',
        n,
        i,
        n === 0 && i >= limit ? 'the forecast has no step' : `step ${n + 1} is empty`,
      );
      if (i >= limit) break;
      i++;
      continue;
    }
    const step: PlanStep = { type: null };
    const first = ids[i];
    const firstKind = kind(i);
    if (firstKind === 'action') {
      step.type = vocab.infos[first].text as StepType;
      i++;
    } else if (vocab.isContent(first)) {
      const j = contentEnd(i);
      err('unknown-type', n, i, `step ${n + 1}: unknown action type ${show(i, j)}`);
      i = j;
    } else if (firstKind === 'status' || first === open || first === quote) {
      err('unknown-type', n, i, `step ${n + 1}: no action type before ${show(i, i + 1)}`);
    } else {
      err('unknown-type', n, i, `step ${n + 1}: unexpected token ${vocab.tokenText(first)}`);
      i++;
    }
    // Target and argument, in any order; a field that does not close ends at the first
    // token that cannot be content.
    for (;;) {
      if (i >= limit) break;
      const id = ids[i];
      if (id === open || id === quote) {
        const isTarget = id === open;
        const j = contentEnd(i + 1);
        const text = vocab.decodeText(ids.slice(i + 1, j));
        const closer = isTarget ? close : quote;
        const closed = j < limit && ids[j] === closer;
        const field = isTarget ? 'target' : 'argument';
        if (!closed)
          err(
            isTarget ? 'missing-bracket' : 'unterminated-quote',
            n,
            i,
            `step ${n + 1}: ${field} ${show(i, j)} is not closed`,
          );
        if ((isTarget ? step.target : step.arg) !== undefined)
          err('duplicate-field', n, i, `step ${n + 1}: a second ${field}`);
        else if (isTarget) step.target = text;
        else step.arg = text;
        i = closed ? j + 1 : j;
      } else if (id === close) {
        err('missing-bracket', n, i, `step ${n + 1}: ']' without '['`);
        i++;
      } else if (vocab.isContent(id)) {
        const j = contentEnd(i);
        err(
          'unexpected-text',
          n,
          i,
          `step ${n + 1}: text ${show(i, j)} outside brackets or quotes`,
        );
        i = j;
      } else break;
    }
    if (kind(i) === 'status') {
      step.status = vocab.infos[ids[i]].text as Status;
      i++;
    } else err('missing-status', n, i, `step ${n + 1}: no status (more or done)`);
    if (i < limit && ids[i] !== sep) {
      let j = i;
      while (j < limit && ids[j] !== sep) j++;
      err('trailing-garbage', n, i, `step ${n + 1}: ${show(i, j)} after the status`);
      i = j;
    }
    checkFields(step, n, i, err);
    steps.push(step);
    if (i >= limit) break;
    i++; // the separator
  }

  steps.forEach((s, k) => {
    if (s.status === 'done' && k < steps.length - 1)
      err(
        'early-done',
        k,
        -1,
        `step ${k + 1} says done but ${steps.length - 1 - k} step(s) follow`,
      );
    if (s.type === 'done' && s.status === 'more')
      err('done-status', k, -1, `step ${k + 1}: the done action with status more`);
  });
  if (steps.length > opts.H)
    err('too-many-steps', -1, -1, `${steps.length} steps, more than H = ${opts.H}`);
  if (!ended) err('missing-end', -1, ids.length, 'no end of forecast');
  else {
    const after = ids.slice(eosAt + 1).findIndex((id) => id !== vocab.pad);
    if (after >= 0)
      err('trailing-garbage', -1, eosAt + 1 + after, 'tokens after the end of the forecast');
  }
  return { steps, errors, ended, end: limit };
}

function checkFields(
  step: PlanStep,
  n: number,
  at: number,
  err: (code: FormatErrorCode, step: number, at: number, message: string) => void,
): void {
  if (step.type === null) return;
  const rules = FIELDS[step.type];
  const label = `step ${n + 1} (${step.type})`;
  if (rules.target === 'required' && !step.target?.trim())
    err('missing-target', n, at, `${label}: no target description`);
  if (rules.target === 'forbidden' && step.target !== undefined)
    err('unexpected-field', n, at, `${label}: takes no target`);
  if (
    rules.arg === 'required' &&
    (step.arg === undefined || (step.type !== 'type' && !step.arg.trim()))
  )
    err('missing-argument', n, at, `${label}: no argument`);
  if (rules.arg === 'forbidden' && step.arg !== undefined)
    err('unexpected-field', n, at, `${label}: takes no argument`);
  if (step.type === 'scroll' && step.arg !== undefined && !isDirection(step.arg))
    err(
      'bad-direction',
      n,
      at,
      `${label}: ${JSON.stringify(step.arg)} is not up, down, left or right`,
    );
}

function isDirection(s: string): s is Direction {
  return (DIRECTIONS as readonly string[]).includes(s);
}

/** parseForecast of a text (no <eos> needed: the text form has none). */
export function parseForecastText(vocab: Vocab, text: string, opts: ParseOptions): ParseResult {
  return parseForecast(vocab, [...textToIds(vocab, text), vocab.eos], opts);
}

// ---------------------------------------------------------------------------------------------
// Execution

/** Finds the element a click/long-press step means (the grounder's job); null if none. */
export type TargetResolver = (step: PlanStep) => { id: number } | { x: number; y: number } | null;

export type StepAction = { ok: true; action: Action } | { ok: false; error: string };

/** App name from what a step wrote: the internal name, or the label in any case. */
export function resolveApp(text: string): string | undefined {
  const t = text.trim();
  if (APPS.has(t)) return t;
  const lower = t.toLowerCase();
  for (const app of APPS.values()) if (app.label.toLowerCase() === lower) return app.name;
  return undefined;
}

/** The executable world action of a parsed step (usually the first one of a forecast). */
export function stepToAction(step: PlanStep, resolve?: TargetResolver): StepAction {
  const fail = (error: string): StepAction => ({ ok: false, error });
  switch (step.type) {
    case null:
      return fail('no action type');
    case 'click':
    case 'longpress': {
      if (!step.target) return fail(`${step.type} without a target`);
      if (!resolve) return fail(`no resolver for ${step.type} targets`);
      const at = resolve(step);
      if (!at) return fail(`no element matches ${JSON.stringify(step.target)}`);
      return { ok: true, action: { type: step.type, ...at } as Action };
    }
    case 'type':
      if (step.arg === undefined) return fail('type without text');
      return { ok: true, action: { type: 'type', text: step.arg } };
    case 'scroll':
      if (step.arg === undefined || !isDirection(step.arg.trim()))
        return fail(`bad scroll direction ${JSON.stringify(step.arg)}`);
      return { ok: true, action: { type: 'scroll', direction: step.arg.trim() as Direction } };
    case 'open': {
      const app = step.arg === undefined ? undefined : resolveApp(step.arg);
      if (!app) return fail(`unknown app ${JSON.stringify(step.arg)}`);
      return { ok: true, action: { type: 'open', app } };
    }
    case 'answer':
      if (step.arg === undefined) return fail('answer without text');
      return { ok: true, action: { type: 'answer', text: step.arg } };
    case 'back':
    case 'home':
    case 'wait':
    case 'done':
      return { ok: true, action: { type: step.type } };
    case 'tool':
      return fail('a tool step runs in the toolbox, not on the screen (stepToToolCall)');
  }
}

// ---------------------------------------------------------------------------------------------
// Tool steps

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
