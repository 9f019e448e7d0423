// The parser: ids as the model samples them → steps and precise format errors; never throws.
import { FIELDS, type Status, type StepType } from '../../text/grammar';
import type { Vocab } from '../../text/vocab';
import { idsToText, textToIds } from './tokenizer';
import { isDirection, type PlanStep } from './plan-step';

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

/** parseForecast of a text (no <eos> needed: the text form has none). */
export function parseForecastText(vocab: Vocab, text: string, opts: ParseOptions): ParseResult {
  return parseForecast(vocab, [...textToIds(vocab, text), vocab.eos], opts);
}
