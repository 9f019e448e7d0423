// Benchmark metrics, as pure functions over small local types, so any logger (the world's
// episodes, the toolbox's tasks, imported logs) can be adapted to them:
//   - text: answer normalisation, normalised answer match, token F1 (SQuAD-style);
//   - offline logged steps: step success (GUI-R1 / AndroidControl), element accuracy and
//     operation F1 (Mind2Web);
//   - online runs: success rate, mean ± std over seeds;
//   - tool suites: answer accuracy, tool accuracy, execution rate (GTA), accuracy by level (GAIA).
// Empty inputs give 0 rates rather than NaN, so tables stay printable.

// ---------------------------------------------------------------------------------------------
// Text

const ARTICLES = new Set(['a', 'an', 'the']);

/** Canonical number text: 12 significant digits, no trailing zeros ("1000.0" -> "1000"). */
function canonicalNumber(text: string): string {
  const rounded = Number(Number(text).toPrecision(12));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/**
 * Normalised tokens of a text: lower case, accents and punctuation dropped, articles dropped,
 * thousands separators removed and numbers written canonically, so "The 1,000.0 km" and
 * "1000 KM" give the same tokens.
 */
export function normalizeTokens(text: string): string[] {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  const tokens = plain.match(/(?<![a-z0-9.])-?(?:\d+(?:\.\d+)?|\.\d+)|[a-z0-9]+/g) ?? [];
  return tokens
    .filter((t) => !ARTICLES.has(t))
    .map((t) => (/^-?\.?\d/.test(t) ? canonicalNumber(t) : t));
}

export function normalizeAnswer(text: string): string {
  return normalizeTokens(text).join(' ');
}

/** Normalised exact match; an empty prediction never matches. */
export function answersMatch(predicted: string, gold: string): boolean {
  const p = normalizeAnswer(predicted);
  return p !== '' && p === normalizeAnswer(gold);
}

/** Token-overlap F1 over normalised tokens (multiset); 1 when both are empty, 0 when one is. */
export function tokenF1(predicted: string, reference: string): number {
  const p = normalizeTokens(predicted);
  const r = normalizeTokens(reference);
  if (p.length === 0 || r.length === 0) return p.length === r.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      overlap++;
      counts.set(t, c - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / p.length;
  const recall = overlap / r.length;
  return (2 * precision * recall) / (precision + recall);
}

// ---------------------------------------------------------------------------------------------
// Offline steps

export interface Point {
  x: number;
  y: number;
}

/** The element the reference step acts on: its box in pixels and, if known, its id. */
export interface TargetBox {
  x: number;
  y: number;
  w: number;
  h: number;
  id?: string;
}

/** What the agent did at one logged step. */
export interface PredictedStep {
  type: string; // click, type, scroll, ...
  point?: Point;
  elementId?: string; // for agents that answer with an element rather than a point
  text?: string;
  direction?: string; // scroll: up / down / left / right
}

/** What the log says should have been done; absent fields are not checked. */
export interface ReferenceStep {
  type: string;
  target?: TargetBox;
  text?: string;
  direction?: string;
}

export const TEXT_F1_THRESHOLD = 0.5;

/** Inclusive on every edge: a point on the border is inside. */
export function pointInBox(point: Point, box: TargetBox): boolean {
  return (
    point.x >= box.x && point.x <= box.x + box.w && point.y >= box.y && point.y <= box.y + box.h
  );
}

const sameWord = (a: string, b: string): boolean =>
  a.trim().toLowerCase() === b.trim().toLowerCase();

/** The prediction lands on the target: same element id when both have one, else point in box. */
export function elementCorrect(predicted: PredictedStep, reference: ReferenceStep): boolean {
  const target = reference.target;
  if (!target) return false;
  if (predicted.elementId !== undefined && target.id !== undefined) {
    return predicted.elementId === target.id;
  }
  return predicted.point !== undefined && pointInBox(predicted.point, target);
}

/**
 * Step success as in GUI-R1 / AndroidControl: the action type matches, and each argument the
 * reference has is matched — the point lies in the target box, typed text has token F1 ≥ 0.5,
 * the scroll direction is the same.
 */
export function stepSuccess(predicted: PredictedStep, reference: ReferenceStep): boolean {
  if (!sameWord(predicted.type, reference.type)) return false;
  if (reference.target && !elementCorrect(predicted, reference)) return false;
  if (
    reference.text !== undefined &&
    tokenF1(predicted.text ?? '', reference.text) < TEXT_F1_THRESHOLD
  ) {
    return false;
  }
  if (reference.direction !== undefined) {
    if (predicted.direction === undefined) return false;
    if (!sameWord(predicted.direction, reference.direction)) return false;
  }
  return true;
}

/**
 * Mind2Web operation F1: token F1 between "type value" strings, where the value is the typed or
 * selected text (or, beyond Mind2Web's three operations, the scroll direction).
 */
export function operationF1(predicted: PredictedStep, reference: ReferenceStep): number {
  const op = (s: PredictedStep | ReferenceStep): string =>
    `${s.type} ${s.text ?? s.direction ?? ''}`;
  return tokenF1(op(predicted), op(reference));
}

export interface StepPair {
  predicted: PredictedStep;
  reference: ReferenceStep;
}

export interface OfflineMetrics {
  steps: number;
  stepSuccessRate: number;
  elementAccuracy: number; // over steps whose reference has a target
  operationF1: number;
}

export function offlineMetrics(pairs: readonly StepPair[]): OfflineMetrics {
  const targeted = pairs.filter((p) => p.reference.target);
  return {
    steps: pairs.length,
    stepSuccessRate: mean(pairs.map((p) => (stepSuccess(p.predicted, p.reference) ? 1 : 0))),
    elementAccuracy: mean(targeted.map((p) => (elementCorrect(p.predicted, p.reference) ? 1 : 0))),
    operationF1: mean(pairs.map((p) => operationF1(p.predicted, p.reference))),
  };
}

// ---------------------------------------------------------------------------------------------
// Online runs and spread over seeds

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function successRate(outcomes: readonly boolean[]): number {
  return mean(outcomes.map((o) => (o ? 1 : 0)));
}

export interface MeanStd {
  mean: number;
  std: number; // sample standard deviation (n − 1); 0 for a single seed
  n: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  const m = mean(values);
  const n = values.length;
  if (n < 2) return { mean: m, std: 0, n };
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return { mean: m, std: Math.sqrt(squares / (n - 1)), n };
}

/** "52.3 ± 4.1" with values scaled by `scale` (100 for rates shown as percentages). */
export function formatMeanStd(stat: MeanStd, digits = 1, scale = 1): string {
  return `${(stat.mean * scale).toFixed(digits)} ± ${(stat.std * scale).toFixed(digits)}`;
}

// ---------------------------------------------------------------------------------------------
// Tool suites

/** One tool-use episode as logged: the final answer and the calls the agent made. */
export interface ToolEpisodeLog {
  answer: string;
  gold: string;
  calls: readonly { tool: string; ok: boolean }[];
  referenceTools: readonly string[]; // the tools of the oracle chain, in order
  level: number;
}

/** Multiset overlap of the tools used and the reference tools, over the longer of the two. */
export function toolChoiceScore(used: readonly string[], reference: readonly string[]): number {
  if (used.length === 0 && reference.length === 0) return 1;
  const remaining = new Map<string, number>();
  for (const t of reference) remaining.set(t, (remaining.get(t) ?? 0) + 1);
  let overlap = 0;
  for (const t of used) {
    const c = remaining.get(t) ?? 0;
    if (c > 0) {
      overlap++;
      remaining.set(t, c - 1);
    }
  }
  return overlap / Math.max(used.length, reference.length);
}

export interface ToolSuiteMetrics {
  episodes: number;
  answerAccuracy: number;
  toolAccuracy: number; // mean toolChoiceScore per episode
  executionRate: number; // calls that ran without error, over all calls
}

export function toolSuiteMetrics(logs: readonly ToolEpisodeLog[]): ToolSuiteMetrics {
  const calls = logs.flatMap((l) => l.calls);
  return {
    episodes: logs.length,
    answerAccuracy: mean(logs.map((l) => (answersMatch(l.answer, l.gold) ? 1 : 0))),
    toolAccuracy: mean(
      logs.map((l) =>
        toolChoiceScore(
          l.calls.map((c) => c.tool),
          l.referenceTools,
        ),
      ),
    ),
    executionRate: mean(calls.map((c) => (c.ok ? 1 : 0))),
  };
}

export interface LevelAccuracy {
  overall: number;
  byLevel: Record<number, { episodes: number; accuracy: number }>; // only levels present
}

/** GAIA-style: answer accuracy overall and per level. */
export function accuracyByLevel(logs: readonly ToolEpisodeLog[]): LevelAccuracy {
  const byLevel: LevelAccuracy['byLevel'] = {};
  const levels = [...new Set(logs.map((l) => l.level))].sort((a, b) => a - b);
  for (const level of levels) {
    const group = logs.filter((l) => l.level === level);
    byLevel[level] = {
      episodes: group.length,
      accuracy: mean(group.map((l) => (answersMatch(l.answer, l.gold) ? 1 : 0))),
    };
  }
  return { overall: mean(logs.map((l) => (answersMatch(l.answer, l.gold) ? 1 : 0))), byLevel };
}
