// Execution: a parsed step → an executable world action (the grounder resolves its target).
import { APPS } from '../../envs/registry';
import type { Action, Direction } from '../../envs/types';
import { isDirection, type PlanStep } from './plan-step';

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
