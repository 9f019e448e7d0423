// The online loop: observe → decide (a planner forecasts H steps and keeps the first) →
// execute → repeat until the agent says done or the episode's step budget runs out. Episodes
// run in lockstep, `agent.batch` at a time, so one decision call (one sampler pass) serves
// every episode still running. With batch 1 this is exactly runOnline of the suites'
// evaluate(): the same begin(), observations, instruction and history, in the same order.
import { Episode } from '../../envs/episode';
import { describeStep, type RefStep } from '../../envs/oracle';
import { getTemplate } from '../../envs/registry';
import type { GuiInstance } from '../../envs/suites/splits';
import type { Action, Observation } from '../../envs/types';
import type { BatchAgent } from './batch-agent';

export interface OnlineOutcome {
  instance: GuiInstance;
  success: boolean;
  steps: number;
  /** What was executed, step by step (as the history the agent saw). */
  executed: RefStep[];
}

/** A reference-style description of any action, also of invalid ones (as evaluate.ts does). */
export function describeExecuted(obs: Observation, action: Action): RefStep {
  const byId = (action.type === 'click' || action.type === 'longpress') && 'id' in action;
  if (byId && !obs.elements[action.id - 1])
    return { type: action.type, action, instruction: `${action.type} element ${action.id}` };
  return describeStep(obs, action);
}

/** Plays every instance to its end; outcomes in instance order. */
export async function runOnlineEpisodes(
  agent: BatchAgent,
  instances: readonly GuiInstance[],
  onDone?: (outcome: OnlineOutcome) => void,
): Promise<OnlineOutcome[]> {
  const outcomes: OnlineOutcome[] = [];
  const size = Math.max(1, agent.batch);
  for (let from = 0; from < instances.length; from += size) {
    const live = instances.slice(from, from + size).map((instance) => {
      const episode = new Episode(getTemplate(instance.template), instance.seed, {
        perturb: instance.perturb,
      });
      const obs = episode.reset();
      agent.begin?.({ kind: 'online', task: episode.task, world: () => episode.world });
      return { instance, episode, obs, history: [] as RefStep[] };
    });
    for (;;) {
      const running = live.filter((e) => !e.episode.done);
      if (running.length === 0) break;
      const actions = await agent.act(
        running.map((e) => ({
          observation: e.obs,
          instruction: e.episode.instruction,
          history: e.history,
        })),
      );
      running.forEach((e, i) => {
        e.history.push(describeExecuted(e.obs, actions[i]));
        e.obs = e.episode.step(actions[i]).obs;
      });
    }
    for (const e of live) {
      const outcome = {
        instance: e.instance,
        success: e.episode.success,
        steps: e.episode.steps,
        executed: e.history,
      };
      outcomes.push(outcome);
      onDone?.(outcome);
    }
  }
  return outcomes;
}
