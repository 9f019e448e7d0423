// The receding-horizon agent loop, recorded for the agent viewer (DESIGN.md §1): at every
// state the planner forecasts H steps, ONLY the first is executed (through the grounder for
// clicks), and it re-plans from the state that results, like model-predictive control.
//
//   obs → forecaster(obs, history, H) → parse → first step → grounder → world action → obs′
//
// Per step it records what a student wants to look at: the forecast (text, parsed steps,
// format errors), each forecast step grounded on the current screen (the ghosts), the
// executed step, the grounder's click point, the reference (the oracle's next H steps from
// this very state), the target box of the reference's first step, and the trajectory reward
// with its per-step breakdown. Backend-agnostic: the forecaster hides the model.
import { Episode, type EpisodeOptions } from '../../envs/episode';
import type { RefStep } from '../../envs/oracle';
import { render } from '../../envs/render/render';
import type { AnyTemplate } from '../../envs/task';
import type { Action, Box, Observation } from '../../envs/types';
import {
  referencePlan,
  stepText,
  stepToAction,
  type FormatError,
  type PlanStep,
} from '../lang/action-language';
import { DEFAULT_REWARD_SETTINGS, type RewardSettings } from '../reward/settings';
import { trajectoryReward, type RewardBreakdown } from '../reward/trajectory';
import { clickInside, type Grounder, type Grounding, type Point } from './grounding';

/** What the planner sees at one state. */
export interface ForecastInput {
  obs: Observation;
  /** RGB pixels of render(obs). */
  pixels: Uint8Array;
  instruction: string;
  /** Steps executed so far in this episode (the planner's history). */
  executed: readonly RefStep[];
  /** Most steps to forecast (1 = the reactive agent). */
  H: number;
}

export interface Forecast {
  /** The forecast in the action language. */
  text: string;
  steps: PlanStep[];
  errors: FormatError[];
  /** Sampled token ids through <eos>, when a model wrote it. */
  ids?: number[];
}

export type Forecaster = (input: ForecastInput) => Promise<Forecast>;

/** One forecast step drawn on the current screen. */
export interface GhostStep {
  /** 0-based position in the forecast (0 is the step executed). */
  k: number;
  text: string;
  /** Where the grounder puts its target on THIS screen; null when it has none or no match. */
  point: Point | null;
}

export interface AgentStep {
  /** Steps executed before this one. */
  t: number;
  obs: Observation;
  forecast: Forecast;
  ghosts: GhostStep[];
  /** The forecast's first step, the one executed (null when the forecast has no step). */
  executed: PlanStep | null;
  /** The world action taken; null when the step could not be turned into one. */
  action: Action | null;
  /** Why the step was not executable, or the world's complaint about the action. */
  error?: string;
  /** The grounder's answer for a click or long-press. */
  grounding: Grounding | null;
  /** The oracle's next H steps from this state: the reference the reward is taken against. */
  reference: RefStep[];
  /** Box of the reference's first target (null when that step has none). */
  targetBox: Box | null;
  /** The grounded click landed inside targetBox (stage 2's reward); null when not a click. */
  hit: boolean | null;
  reward: RewardBreakdown;
}

export interface AgentTrace {
  template: string;
  seed: number;
  H: number;
  instruction: string;
  steps: AgentStep[];
  /** The screen after the last executed step. */
  final: Observation;
  success: boolean;
  /** Why the episode ended: the agent said done, ran out of steps, or made the task fail. */
  ended: 'done' | 'step budget' | 'failed';
}

export interface AgentRunOptions {
  template: AnyTemplate;
  seed: number;
  H: number;
  forecaster: Forecaster;
  grounder: Grounder;
  reward?: RewardSettings;
  /** Step budget (default: the template's, else 20). */
  maxSteps?: number;
  perturb?: EpisodeOptions['perturb'];
}

const CLICKS = new Set(['click', 'longpress']);

/** A forecast step as a history item (what historyIds reads: type, target, argument). */
function asHistory(step: PlanStep, action: Action, box: Box | undefined): RefStep {
  return {
    type: action.type,
    action,
    ...(step.target !== undefined ? { target: step.target } : {}),
    ...(step.arg !== undefined ? { arg: step.arg } : {}),
    ...(box ? { box } : {}),
    instruction: stepText({ ...step, status: undefined }),
  };
}

/** Plays one episode with the receding-horizon loop and records every step. */
export async function runAgentEpisode(o: AgentRunOptions): Promise<AgentTrace> {
  const settings = o.reward ?? DEFAULT_REWARD_SETTINGS;
  const ep = new Episode(o.template, o.seed, { perturb: o.perturb, maxSteps: o.maxSteps });
  let obs = ep.reset();
  const executed: RefStep[] = [];
  const steps: AgentStep[] = [];
  while (!ep.done) {
    const pixels = render(obs).pixels;
    const forecast = await o.forecaster({
      obs,
      pixels,
      instruction: ep.instruction,
      executed: [...executed],
      H: o.H,
    });
    const reference = ep.oracle().steps.slice(0, o.H);
    const reward = trajectoryReward(forecast, referencePlan(reference, o.H), settings, o.H);

    // Every forecast step grounded on this screen; the first one's grounding is the click.
    const groundings: (Grounding | null)[] = [];
    for (const s of forecast.steps) {
      const clickable = s.type !== null && CLICKS.has(s.type) && !!s.target;
      groundings.push(clickable ? await o.grounder(obs, pixels, s.target!) : null);
    }
    const ghosts = forecast.steps.map((s, k) => ({
      k,
      text: stepText(s),
      point: groundings[k]?.point ?? null,
    }));
    const first = forecast.steps[0] ?? null;
    const grounding = groundings[0] ?? null;
    const targetBox = reference[0]?.box ?? null;
    const isClick = first !== null && first.type !== null && CLICKS.has(first.type);

    const converted = first
      ? stepToAction(first, () => grounding?.point ?? null)
      : { ok: false as const, error: 'the forecast has no step' };
    const action = converted.ok ? converted.action : null;
    // An unexecutable step is a lost turn: the world waits and the budget shrinks.
    const result = ep.step(action ?? { type: 'wait' });
    const error = converted.ok ? result.error : converted.error;
    steps.push({
      t: steps.length,
      obs,
      forecast,
      ghosts,
      executed: first,
      action,
      ...(error ? { error } : {}),
      grounding,
      reference,
      targetBox,
      hit: isClick ? clickInside(grounding?.point ?? null, targetBox) : null,
      reward,
    });
    if (action && first) {
      const box = grounding?.elementId ? obs.elements[grounding.elementId - 1]?.box : undefined;
      executed.push(asHistory(first, action, box));
    }
    obs = result.obs;
  }
  const saidDone = steps.at(-1)?.action?.type === 'done';
  const ended = saidDone ? 'done' : ep.steps >= ep.maxSteps ? 'step budget' : 'failed';
  return {
    template: o.template.id,
    seed: o.seed,
    H: o.H,
    instruction: ep.instruction,
    steps,
    final: obs,
    success: ep.success,
    ended,
  };
}
