// Offline suites as logged oracle episodes, generated from seeds instead of stored files.
//
// Generation: take the suite's instances in order (evaluationInstances, or one split's), build
// each start state with `instantiate`, ask the oracle for its reference trajectory, and replay
// it, logging per step the state before the action (to re-render the screenshot), its
// observation (elements), the goal, the step instruction, the reference action and its target
// box. Episodes are added whole until the log holds at least the suite's size in steps. The
// same seeds give the same log, byte for byte; the log is cached in memory per (suite, split).
// Episodes the oracle cannot solve are skipped (and counted), never logged half-done.
import { instantiate } from '../episode';
import { solve, type RefStep } from '../oracle';
import { getTemplate } from '../registry';
import type { Split } from '../task';
import type { Observation, WorldState } from '../types';
import { applyAction, observe } from '../world';
import { getSuite, type SuiteName } from './spec';
import { evaluationInstances, suiteInstances, type GuiInstance } from './splits';

export interface LoggedStep {
  /** Index of the episode in the log, and of the step in the episode. */
  episode: number;
  step: number;
  instance: GuiInstance;
  /** The high-level goal: the only instruction the agent is given in our offline suites. */
  goal: string;
  /** The low-level step instruction (kept for inspection; not shown to agents). */
  stepInstruction: string;
  /** State before the action: render(observe(world)) re-creates the screenshot. */
  world: WorldState;
  observation: Observation;
  /** The previous reference steps of the episode (AndroidControl-style action history). */
  history: RefStep[];
  reference: RefStep;
}

export interface OfflineLog {
  suite: SuiteName;
  split: Split | 'evaluation';
  steps: LoggedStep[];
  episodes: number;
  /** Instances skipped because the oracle found no path (should be 0). */
  unsolved: string[];
}

/** Log one instance's oracle episode; null when the oracle cannot solve it. */
export function logEpisode(instance: GuiInstance, episode: number): LoggedStep[] | null {
  const template = getTemplate(instance.template);
  const task = instantiate(template, instance.seed, { perturb: instance.perturb });
  const solved = solve(template, task.params, task.world);
  if (!solved.ok) return null;
  const steps: LoggedStep[] = [];
  let world = task.world;
  for (let i = 0; i < solved.steps.length; i++) {
    const reference = solved.steps[i];
    const observation = observe(world);
    steps.push({
      episode,
      step: i,
      instance,
      goal: task.instruction,
      stepInstruction: reference.instruction,
      world,
      observation,
      history: solved.steps.slice(0, i),
      reference,
    });
    world = applyAction(world, reference.action, observation).world;
  }
  return steps;
}

const cache = new Map<string, OfflineLog>();

/**
 * The log of an offline suite: its benchmark (default) or one split's episodes, at least
 * `minSteps` steps (default: the suite's size).
 */
export function offlineLog(
  suite: SuiteName,
  split: Split | 'evaluation' = 'evaluation',
  minSteps = getSuite(suite).size,
): OfflineLog {
  const spec = getSuite(suite);
  if (spec.kind !== 'offline') throw new Error(`suite '${suite}' is ${spec.kind}, not offline`);
  const key = `${suite}/${split}/${minSteps}`;
  const cached = cache.get(key);
  if (cached) return cached;
  // Episodes run 3-15 steps; ask for one instance per step, which is always more than enough.
  const instances = (
    split === 'evaluation'
      ? evaluationInstances(suite, minSteps)
      : suiteInstances(suite, split, minSteps)
  ) as GuiInstance[];
  const log: OfflineLog = { suite, split, steps: [], episodes: 0, unsolved: [] };
  for (const instance of instances) {
    if (log.steps.length >= minSteps) break;
    const steps = logEpisode(instance, log.episodes);
    if (!steps) {
      log.unsolved.push(`${instance.template}#${instance.seed}`);
      continue;
    }
    log.steps.push(...steps);
    log.episodes++;
  }
  cache.set(key, log);
  return log;
}
