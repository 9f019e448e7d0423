// The planner agent, receding horizon: for every decision it forecasts H steps from what it
// sees now and executes ONLY the first — GUI steps through the grounder (a click on the point
// it finds), tool steps through the toolbox (as a call the driver runs) — then re-plans from
// the new state at the next decision. The reactive agent is the same agent with H = 1.
// A first step that cannot be executed (no step, a format error, nothing grounded) becomes
// `wait`: the world does not change, the step budget shrinks, and the planner tries again.
import type { ToolMove } from '../../envs/suites/agent';
import { render } from '../../envs/render/render';
import type { Action, Observation } from '../../envs/types';
import { toolPromptInput } from '../data/tool-prompts';
import { stepToAction, stepToToolCall, type PlanStep } from '../lang';
import type { PromptInput } from '../model/encode';
import type { ActRequest, BatchAgent, ToolRequest } from './batch-agent';
import type { Forecast, Forecaster } from './forecaster';
import type { Grounder } from './grounding';

export const NO_OP: Action = { type: 'wait' };

export interface PlannerAgentOptions {
  name?: string;
  /** Decisions per forecaster call (default 32; the forecaster chunks by its own batch). */
  batch?: number;
}

export interface PlannerAgent extends BatchAgent {
  readonly forecaster: Forecaster;
  readonly grounder: Grounder;
  /** The forecasts behind the last act/useTools call, in request order (for inspection). */
  readonly lastForecasts: readonly Forecast[];
}

/** The GUI action of a forecast's first step, grounded on this screen; NO_OP when impossible. */
export async function firstStepAction(
  forecast: Forecast,
  obs: Observation,
  pixels: Uint8Array,
  grounder: Grounder,
): Promise<Action> {
  const step: PlanStep | undefined = forecast.steps[0];
  if (!step || step.type === null || step.type === 'tool') return NO_OP;
  let point: { x: number; y: number } | null = null;
  if ((step.type === 'click' || step.type === 'longpress') && step.target) {
    const g = await grounder.ground(obs, pixels, step.target);
    if (!g || g.elementId < 1) return NO_OP;
    point = g.point;
  }
  const result = stepToAction(step, () => point);
  return result.ok ? result.action : NO_OP;
}

/** The tool move of a forecast's first step: a call, an answer, or giving up (empty answer). */
export function firstToolMove(forecast: Forecast): ToolMove {
  const step = forecast.steps[0];
  if (step?.type === 'answer') return { type: 'answer', text: step.arg ?? '' };
  if (step?.type === 'tool') {
    const parsed = stepToToolCall(step);
    // An unreadable call still goes to the toolbox, whose error the planner then sees.
    return { type: 'call', call: parsed.ok ? parsed.call : { tool: step.target ?? '', args: {} } };
  }
  return { type: 'answer', text: '' };
}

export function plannerAgent(
  forecaster: Forecaster,
  grounder: Grounder,
  opts: PlannerAgentOptions = {},
): PlannerAgent {
  let lastForecasts: Forecast[] = [];
  return {
    name: opts.name ?? `planner H=${forecaster.H}`,
    batch: opts.batch ?? 32,
    forecaster,
    grounder,
    get lastForecasts() {
      return lastForecasts;
    },
    async act(requests: readonly ActRequest[]): Promise<Action[]> {
      const inputs: PromptInput[] = requests.map((r) => ({
        obs: r.observation,
        pixels: render(r.observation).pixels,
        instruction: r.instruction,
        executed: r.history,
      }));
      lastForecasts = await forecaster.forecast(inputs);
      const actions: Action[] = [];
      for (let i = 0; i < inputs.length; i++)
        actions.push(
          await firstStepAction(lastForecasts[i], inputs[i].obs, inputs[i].pixels, grounder),
        );
      return actions;
    },
    async useTools(requests: readonly ToolRequest[]): Promise<ToolMove[]> {
      lastForecasts = await forecaster.forecast(
        requests.map((r) => toolPromptInput(r.query, r.turns)),
      );
      return lastForecasts.map(firstToolMove);
    },
  };
}
