// Stage 2's reward (DESIGN.md §1, issue 5 §2): the planner's FIRST step is executed by a frozen
// tool agent and the outcome is scored, not the text. Pure functions, so tests can hand-make
// every case:
//   - GUI steps: the grounder's click (or the typed text, the scroll direction …) as a world
//     action, scored with the offline suites' step success (envs/metrics.stepSuccess): right
//     action type, grounded point inside the reference target's box, typed text F1 ≥ 0.5,
//     same scroll direction;
//   - tool steps: a call succeeds when the toolbox executes it without error and it calls the
//     tool the reference calls next; an answer succeeds when it matches the gold answer;
//   - total = success + formatWeight · (1 when the whole forecast parses without error).
import { stepSuccess } from '../../envs/metrics';
import type { RefStep } from '../../envs/oracle';
import { toPredicted, toReference } from '../../envs/suites/agent';
import { runTool, type ToolContext, type ToolResult } from '../../envs/tools';
import type { ToolTask } from '../../envs/tools/tasks';
import type { Action, Observation } from '../../envs/types';
import { stepToToolCall, type PlanStep } from '../lang';

export interface GroundedOutcome {
  /** 1 when the executed first step does what the reference step does, else 0. */
  success: number;
  /** 1 when the forecast has no format error, else 0. */
  format: number;
  /** success + formatWeight · format. */
  total: number;
  /** Why a step failed, for viewers and tests ('' on success). */
  why: string;
  /** Tool steps: what the toolbox returned for a call. */
  execution?: ToolResult;
}

/**
 * GUI step: `action` is the first step as the world would execute it (clicks already grounded
 * to a point; null when it could not be made), `obs` the screen it acts on, `ref` the oracle's
 * next step there.
 */
export function guiStepSuccess(action: Action | null, obs: Observation, ref: RefStep): boolean {
  if (!action) return false;
  return stepSuccess(toPredicted(action, obs), toReference(ref));
}

/**
 * Tool step: the first step of a forecast on a tool task after `done` oracle calls. The
 * reference's next move is the chain's call `done`, or the answer when the chain is used up.
 */
export function toolStepOutcome(
  step: PlanStep | undefined,
  task: ToolTask,
  done: number,
  context: ToolContext = { screenshot: task.screen?.screenshot },
): { success: boolean; why: string; execution?: ToolResult } {
  if (!step) return { success: false, why: 'no step' };
  if (step.type === 'answer') {
    const ok = task.answer(step.arg ?? '');
    return { success: ok, why: ok ? '' : 'the answer does not match' };
  }
  if (step.type !== 'tool') return { success: false, why: `a ${step.type ?? 'broken'} step` };
  const parsed = stepToToolCall(step);
  if (!parsed.ok) return { success: false, why: `unreadable call: ${parsed.error}` };
  const execution = runTool(parsed.call, context);
  if (!execution.ok)
    return { success: false, why: `execution failed: ${execution.error}`, execution };
  const wanted = task.chain[done]?.call.tool;
  if (wanted === undefined)
    return { success: false, why: 'the task wants the answer now', execution };
  const ok = parsed.call.tool === wanted;
  return { success: ok, why: ok ? '' : `called ${parsed.call.tool}, not ${wanted}`, execution };
}

export function groundedTotal(success: boolean, formatOk: boolean, formatWeight: number): number {
  return (success ? 1 : 0) + formatWeight * (formatOk ? 1 : 0);
}
