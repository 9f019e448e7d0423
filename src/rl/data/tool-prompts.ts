// Tool-use tasks as planner prompts. A tool task has no app screen: the planner sees the task's
// picture (when it has one) as a screen with one `image` element where the picture panel is,
// and the instruction followed by the results of the calls made so far, so a chain can use
// what earlier hops returned. The reference forecast from turn t is the oracle chain's
// remaining calls as `tool` steps, then `answer "<gold>" done`.
//
//   toolPromptInput({ instruction, screen }, turns)  -> PromptInput for encodePrompt
//   toolReferencePlan(task, turns.length, H)         -> the target PlanSteps
// The agent (src/rl/agent) and the training data (prompts.ts) both build prompts here, so
// the planner is trained on exactly what it is shown at evaluation.
import type { ToolQuery, ToolTurn } from '../../envs/suites/agent';
import type { Box, Screenshot, ToolTask } from '../../envs/tools';
import { SCREEN, type Element, type Observation } from '../../envs/types';
import { planIds, planText, toolStepOf, type PlanStep, type WrittenForecast } from '../lang';
import type { Vocab } from '../../text/vocab';
import { MAX_RESULT_CHARS } from '../../text/marks';
import type { PromptInput } from '../model/encode';

/**
 * The picture panel of a tool task's screenshot: the bounding box of the most frequent colour
 * below the status bar other than the background (the most frequent overall). The panel is a
 * solid fill far larger than any caption's ink, so this finds it without privileged data.
 */
export function findPicturePanel(shot: Screenshot, top = 16): Box | null {
  const counts = new Map<number, number>();
  const { rgb, width, height } = shot;
  const colourAt = (p: number) => (rgb[p] << 16) | (rgb[p + 1] << 8) | rgb[p + 2];
  for (let y = top; y < height; y++)
    for (let x = 0; x < width; x++) {
      const c = colourAt((y * width + x) * 3);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length < 2) return null;
  const fill = ranked[1][0];
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = top; y < height; y++)
    for (let x = 0; x < width; x++) {
      if (colourAt((y * width + x) * 3) !== fill) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

const blank = new Map<string, Uint8Array>();

/** The screen a tool prompt shows: the picture with its panel as an image element, or blank. */
export function toolScreen(shot?: Screenshot): { obs: Observation; pixels: Uint8Array } {
  const { width, height } = shot ?? SCREEN.mobile;
  const key = `${width}x${height}`;
  if (!shot && !blank.has(key)) blank.set(key, new Uint8Array(width * height * 3));
  const pixels = shot ? shot.rgb : blank.get(key)!;
  const panel = shot ? findPicturePanel(shot) : null;
  const elements: Element[] = panel
    ? [
        {
          id: 1,
          role: 'image',
          text: '',
          box: panel,
          focused: false,
          enabled: true,
          visible: true,
          key: 'tool:picture',
        },
      ]
    : [];
  const obs: Observation = {
    platform: 'mobile',
    width,
    height,
    app: 'tools',
    screen: shot ? 'picture' : 'none',
    title: '',
    elements,
    nodes: [],
    status: [],
    theme: 'light',
    scroll: { x: 0, y: 0, maxX: 0, maxY: 0 },
    viewport: { x: 0, y: 0, w: width, h: height },
    modal: false,
  };
  return { obs, pixels };
}

/** What a call's outcome reads as in a prompt: its result, or `error`. */
function said(turn: ToolTurn): string {
  return turn.result.ok ? turn.result.result : 'error';
}

/** The instruction with every call's outcome after it, `… | knowledge -> Tokyo` (for display). */
export function toolInstruction(instruction: string, turns: readonly ToolTurn[]): string {
  const outcomes = turns.map((t) => `| ${t.call.tool} -> ${said(t).slice(0, MAX_RESULT_CHARS)}`);
  return [instruction, ...outcomes].join(' ');
}

/**
 * What the planner sees at turn `turns.length` of a tool task (no GUI history): the
 * instruction, then each result after its mark (encode.ts writes them as toolInstruction does).
 */
export function toolPromptInput(query: ToolQuery, turns: readonly ToolTurn[]): PromptInput {
  const { obs, pixels } = toolScreen(query.screen);
  const results = turns.map((t) => ({ tool: t.call.tool, text: said(t) }));
  return { obs, pixels, instruction: query.instruction, executed: [], results };
}

/** The oracle's next H steps after `done` calls: remaining calls, then the answer (status done). */
export function toolReferencePlan(task: ToolTask, done: number, H: number): PlanStep[] {
  const steps: PlanStep[] = task.chain.slice(done).map((s) => toolStepOf(s.call));
  steps.push({ type: 'answer', arg: task.gold, status: 'done' });
  return steps.slice(0, H);
}

export function writeToolForecast(
  vocab: Vocab,
  task: ToolTask,
  done: number,
  H: number,
): WrittenForecast {
  const steps = toolReferencePlan(task, done, H);
  return { steps, text: planText(steps), ids: planIds(vocab, steps) };
}

/** The turns the oracle chain has made after `done` calls (what the planner then sees). */
export function oracleTurns(task: ToolTask, done: number): ToolTurn[] {
  return task.chain
    .slice(0, done)
    .map((s) => ({ call: s.call, result: { ok: true as const, result: s.result } }));
}
