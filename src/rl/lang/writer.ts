// The writer: oracle reference steps → action-language steps, text and token ids.
import type { RefStep } from '../../envs/oracle';
import { FIELDS } from '../../text/grammar';
import type { Vocab } from '../../text/vocab';
import { escapeArg, escapeTarget, type PlanStep } from './plan-step';

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
