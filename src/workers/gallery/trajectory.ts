// A task's reference trajectory as the World gallery shows it: the oracle's steps and the
// world before each, all plain data (it crosses from the gallery's worker to the page).
import {
  applyAction,
  getTemplate,
  instantiate,
  solve,
  type RefStep,
  type WorldState,
} from '../../envs';

export interface Trajectory {
  instruction: string;
  /** The world before each reference step (worlds[k] is where step k is taken), then the end. */
  worlds: WorldState[];
  steps: RefStep[];
  ok: boolean;
  reason?: string;
}

/** The oracle's reference trajectory of template `templateId` instantiated with `seed`. */
export function referenceTrajectory(templateId: string, seed: number): Trajectory {
  const template = getTemplate(templateId);
  const task = instantiate(template, seed);
  const solved = solve(template, task.params, task.world);
  const worlds: WorldState[] = [];
  let w = task.world;
  for (const s of solved.steps) {
    worlds.push(w);
    w = applyAction(w, s.action).world;
  }
  worlds.push(w); // the state after the last step
  return {
    instruction: task.instruction,
    worlds,
    steps: solved.steps,
    ok: solved.ok,
    reason: solved.ok ? undefined : solved.reason,
  };
}
