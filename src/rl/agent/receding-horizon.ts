// THE online loop (evaluation, stage 2 and the agent viewer all play episodes with it):
// observe → decide (a planner forecasts H steps and keeps the first) → execute → repeat until
// the agent says done or the episode's step budget runs out. Episodes run in lockstep,
// `agent.batch` at a time, so one decision call (one sampler pass) serves every episode still
// running. With batch 1 this is exactly runOnline of the suites' evaluate(): the same begin(),
// observations, instruction and history (the world's description of each executed action),
// in the same order. An observer may look at each step before and after it is executed.
import { Episode, type StepResult } from '../../envs/episode';
import { describeStep, type RefStep } from '../../envs/oracle';
import type { PerturbOptions } from '../../envs/perturb';
import { getTemplate } from '../../envs/registry';
import type { AnyTemplate } from '../../envs/task';
import type { Action, Observation } from '../../envs/types';
import type { BatchAgent } from './batch-agent';

/** An episode to play; suite instances (GuiInstance) are episode specs. */
export interface EpisodeSpec {
  template: string | AnyTemplate;
  seed: number;
  perturb?: PerturbOptions;
  /** Step budget (default: the template's, else 20). */
  maxSteps?: number;
}

export interface OnlineOutcome<S extends EpisodeSpec = EpisodeSpec> {
  spec: S;
  success: boolean;
  steps: number;
  /** What was executed, step by step (the history the agent saw). */
  executed: RefStep[];
}

/** One step of one episode, as an observer sees it. */
export interface LoopStep {
  /** Index of the episode in the specs given. */
  episode: number;
  /** Position of its request in this round's act() call (what agent decision records use). */
  slot: number;
  /** The live episode: before execution its world is the state the decision was made in. */
  ep: Episode;
  obs: Observation;
  action: Action;
}

export interface LoopObserver {
  beforeStep?(step: LoopStep): void | Promise<void>;
  afterStep?(step: LoopStep, result: StepResult): void | Promise<void>;
}

/** A reference-style description of any action, also of invalid ones (as evaluate.ts does). */
export function describeExecuted(obs: Observation, action: Action): RefStep {
  const byId = (action.type === 'click' || action.type === 'longpress') && 'id' in action;
  if (byId && !obs.elements[action.id - 1])
    return { type: action.type, action, instruction: `${action.type} element ${action.id}` };
  return describeStep(obs, action);
}

/** Plays every episode to its end; outcomes in spec order. */
export async function runOnlineEpisodes<S extends EpisodeSpec>(
  agent: BatchAgent,
  specs: readonly S[],
  observer: LoopObserver = {},
  onDone?: (outcome: OnlineOutcome<S>) => void,
): Promise<OnlineOutcome<S>[]> {
  const outcomes: OnlineOutcome<S>[] = [];
  const size = Math.max(1, agent.batch);
  for (let from = 0; from < specs.length; from += size) {
    const live = specs.slice(from, from + size).map((spec, k) => {
      const template =
        typeof spec.template === 'string' ? getTemplate(spec.template) : spec.template;
      const ep = new Episode(template, spec.seed, {
        perturb: spec.perturb,
        maxSteps: spec.maxSteps,
      });
      const obs = ep.reset();
      agent.begin?.({ kind: 'online', task: ep.task, world: () => ep.world });
      return { index: from + k, spec, ep, obs, history: [] as RefStep[] };
    });
    for (;;) {
      const running = live.filter((e) => !e.ep.done);
      if (running.length === 0) break;
      const actions = await agent.act(
        running.map((e) => ({
          observation: e.obs,
          instruction: e.ep.instruction,
          history: e.history,
        })),
      );
      for (let slot = 0; slot < running.length; slot++) {
        const e = running[slot];
        const step: LoopStep = {
          episode: e.index,
          slot,
          ep: e.ep,
          obs: e.obs,
          action: actions[slot],
        };
        await observer.beforeStep?.(step);
        e.history.push(describeExecuted(e.obs, actions[slot]));
        const result = e.ep.step(actions[slot]);
        await observer.afterStep?.(step, result);
        e.obs = result.obs;
      }
    }
    for (const e of live) {
      const outcome = {
        spec: e.spec,
        success: e.ep.success,
        steps: e.ep.steps,
        executed: e.history,
      };
      outcomes.push(outcome);
      onDone?.(outcome);
    }
  }
  return outcomes;
}
