// The receding-horizon agent loop, recorded for the agent viewer (DESIGN.md §1): at every
// state the planner forecasts H steps, ONLY the first is executed (through the grounder for
// clicks), and it re-plans from the state that results, like model-predictive control.
//
//   obs → forecaster(obs, history, H) → parse → first step → grounder → world action → obs′
//
// The loop itself is the agent's (src/rl/agent: runOnlineEpisodes with the planner agent, the
// same one evaluation and stage 2 run); this file only records, through the loop's observer,
// what a student wants to look at per step: the forecast (text, parsed steps, format errors),
// each forecast step grounded on the current screen (the ghosts), the executed step, the
// grounder's click point, the reference (the oracle's next H steps from this very state), the
// target box of the reference's first step, and the trajectory reward with its per-step
// breakdown. Backend-agnostic: the forecaster hides the model.
import type { EpisodeOptions } from '../../envs/episode';
import type { RefStep } from '../../envs/oracle';
import type { AnyTemplate } from '../../envs/task';
import { ELEMENT_ACTIONS, type Action, type Box, type Observation } from '../../envs/types';
import { oneByOne, type Forecast, type ForecastInput } from '../agent/forecaster';
import { clickInside, type Grounder, type Grounding } from '../agent/grounding';
import { plannerAgent } from '../agent/planner-agent';
import { runOnlineEpisodes } from '../agent/receding-horizon';
import { referencePlan, stepText, type PlanStep } from '../lang/action-language';
import { DEFAULT_REWARD_SETTINGS, type RewardSettings } from '../reward/settings';
import { trajectoryReward, type RewardBreakdown } from '../reward/trajectory';

export type { Forecast, ForecastInput } from '../agent/forecaster';

export type Forecaster = (input: ForecastInput) => Promise<Forecast>;

/** One forecast step drawn on the current screen. */
export interface GhostStep {
  /** 0-based position in the forecast (0 is the step executed). */
  k: number;
  text: string;
  /** Where the grounder puts its target on THIS screen; null when it has none or no match. */
  point: { x: number; y: number } | null;
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

/** Plays one episode with the agent's receding-horizon loop and records every step. */
export async function runAgentEpisode(o: AgentRunOptions): Promise<AgentTrace> {
  const settings = o.reward ?? DEFAULT_REWARD_SETTINGS;
  const agent = plannerAgent(oneByOne(o.forecaster), o.grounder, { H: o.H, batch: 1 });
  const steps: AgentStep[] = [];
  let instruction = '';
  let final: Observation | null = null;
  const [outcome] = await runOnlineEpisodes(
    agent,
    [{ template: o.template, seed: o.seed, perturb: o.perturb, maxSteps: o.maxSteps }],
    {
      async beforeStep({ ep, obs }) {
        instruction = ep.instruction;
        const { forecast, input, grounding, action, error } = agent.lastDecisions[0];
        const reference = ep.oracle().steps.slice(0, o.H);
        const reward = trajectoryReward(forecast, referencePlan(reference, o.H), settings, o.H);
        // Every forecast step grounded on this screen (the first one's is the click's).
        const ghosts: GhostStep[] = [];
        for (const [k, s] of forecast.steps.entries()) {
          const clickable = s.type !== null && ELEMENT_ACTIONS.has(s.type) && !!s.target;
          const g =
            k === 0 ? grounding : clickable ? await o.grounder(obs, input.pixels, s.target!) : null;
          ghosts.push({ k, text: stepText(s), point: g?.point ?? null });
        }
        const first = forecast.steps[0] ?? null;
        const targetBox = reference[0]?.box ?? null;
        const isClick = first !== null && first.type !== null && ELEMENT_ACTIONS.has(first.type);
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
      },
      afterStep(_step, result) {
        const last = steps[steps.length - 1];
        if (last.action && result.error) last.error = result.error;
        final = result.obs;
      },
    },
  );
  const saidDone = steps.at(-1)?.action?.type === 'done';
  const budget = o.maxSteps ?? o.template.maxSteps ?? 20;
  const ended = saidDone ? 'done' : outcome.steps >= budget ? 'step budget' : 'failed';
  return {
    template: o.template.id,
    seed: o.seed,
    H: o.H,
    instruction,
    steps,
    final: final ?? steps[0]?.obs,
    success: outcome.success,
    ended,
  };
}
