// The planner agent, receding horizon: for every decision it forecasts H steps from what it
// sees now and executes ONLY the first — GUI steps through the grounder (a click on the point
// it finds), tool steps through the toolbox (as a call the driver runs) — then re-plans from
// the new state at the next decision. The reactive agent is the same agent with H = 1.
// A first step that cannot be executed (no step, a format error, nothing grounded) is a lost
// turn: the world waits (`wait`), the step budget shrinks, and the planner tries again.
import type { ToolMove } from '../../envs/suites/agent';
import { render } from '../../envs/render/render';
import { ELEMENT_ACTIONS, type Action, type Observation } from '../../envs/types';
import { toolPromptInput } from '../data/tool-prompts';
import { stepToAction, stepToToolCall } from '../lang';
import type { ActRequest, BatchAgent, ToolRequest } from './batch-agent';
import type { BatchForecaster, Forecast, ForecastInput } from './forecaster';
import type { Grounder, Grounding } from './grounding';

/** What a lost turn executes: nothing changes, a step is spent. */
export const LOST_TURN: Action = { type: 'wait' };

/** One GUI decision: the forecast, its first step grounded and turned into a world action. */
export interface Decision {
  input: ForecastInput;
  forecast: Forecast;
  /** The grounder's answer for a click or long-press first step, else null. */
  grounding: Grounding | null;
  /** The world action of the first step; null when it could not be made (see error). */
  action: Action | null;
  error?: string;
}

export interface PlannerAgentOptions {
  /** Steps kept per forecast (default 5; 1 = the reactive agent). */
  H?: number;
  name?: string;
  /** Decisions per forecaster call (default 32; the forecaster chunks by its own batch). */
  batch?: number;
}

export interface PlannerAgent extends BatchAgent {
  readonly H: number;
  readonly forecaster: BatchForecaster;
  readonly grounder: Grounder;
  /** The decisions of the last act() call, in request order (for recorders and viewers). */
  readonly lastDecisions: readonly Decision[];
  /** The forecasts behind the last useTools() call, in request order. */
  readonly lastToolForecasts: readonly Forecast[];
}

/** The forecast's first step as a world action on this screen, grounded for clicks. */
export async function decideFirstStep(
  input: ForecastInput,
  forecast: Forecast,
  grounder: Grounder,
): Promise<Decision> {
  const first = forecast.steps[0];
  if (!first)
    return { input, forecast, grounding: null, action: null, error: 'the forecast has no step' };
  const clickable = first.type !== null && ELEMENT_ACTIONS.has(first.type) && !!first.target;
  const grounding = clickable ? await grounder(input.obs, input.pixels, first.target!) : null;
  const converted = stepToAction(first, () => grounding?.point ?? null);
  return converted.ok
    ? { input, forecast, grounding, action: converted.action }
    : { input, forecast, grounding, action: null, error: converted.error };
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

/** What the planner sees for one request (the screenshot rendered from the observation). */
export function forecastInput(obs: Observation, r: ActRequest, H: number): ForecastInput {
  const executed = [...r.history]; // a snapshot: the loop appends to its history
  return { obs, pixels: render(obs).pixels, instruction: r.instruction, executed, H };
}

export function plannerAgent(
  forecaster: BatchForecaster,
  grounder: Grounder,
  opts: PlannerAgentOptions = {},
): PlannerAgent {
  const H = opts.H ?? 5;
  if (!Number.isInteger(H) || H < 1) throw new Error(`plannerAgent: H must be ≥ 1, got ${H}`);
  let lastDecisions: Decision[] = [];
  let lastToolForecasts: Forecast[] = [];
  return {
    name: opts.name ?? `planner H=${H}`,
    batch: opts.batch ?? 32,
    H,
    forecaster,
    grounder,
    get lastDecisions() {
      return lastDecisions;
    },
    get lastToolForecasts() {
      return lastToolForecasts;
    },
    async act(requests: readonly ActRequest[]): Promise<Action[]> {
      const inputs = requests.map((r) => forecastInput(r.observation, r, H));
      const forecasts = await forecaster.forecast(inputs);
      lastDecisions = [];
      for (let i = 0; i < inputs.length; i++)
        lastDecisions.push(await decideFirstStep(inputs[i], forecasts[i], grounder));
      return lastDecisions.map((d) => d.action ?? LOST_TURN);
    },
    async useTools(requests: readonly ToolRequest[]): Promise<ToolMove[]> {
      lastToolForecasts = await forecaster.forecast(
        requests.map((r) => ({ ...toolPromptInput(r.query, r.turns), H })),
      );
      return lastToolForecasts.map(firstToolMove);
    },
  };
}
