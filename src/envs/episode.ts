// The episode core, MiniWoB++ style: instantiate a template for a seed, reset, step with a
// step budget, an idempotent end, and success from the template's check of the world state.
import { Rng } from '../rng';
import { applyStartPerturbations, pickPerturbation, type PerturbOptions } from './perturb';
import { solve, type SolveResult } from './oracle';
import type { AnyTemplate } from './task';
import type { Action, Observation, WorldState } from './types';
import { createWorld, observe, applyAction } from './world';

export interface TaskInstance {
  template: AnyTemplate;
  seed: number;
  params: unknown;
  instruction: string;
  /** The start state. */
  world: WorldState;
}

export interface EpisodeOptions {
  perturb?: PerturbOptions;
  /** Step budget (default: the template's maxSteps, else 20). */
  maxSteps?: number;
}

/** The same (template, seed, options) always gives the same task and start state. */
export function instantiate(
  template: AnyTemplate,
  seed: number,
  opts: EpisodeOptions = {},
): TaskInstance {
  const rng = new Rng(seed);
  const gen = template.generate(rng.fork(1));
  const perturbRng = rng.fork(3);
  const p = opts.perturb ?? {};
  let world = createWorld(rng.fork(2), {
    platform: template.platform ?? 'mobile',
    apps: gen.apps,
    start: gen.start,
    perturb: pickPerturbation(perturbRng, p),
  });
  world = applyStartPerturbations(world, perturbRng, p);
  return { template, seed, params: gen.params, instruction: gen.instruction, world };
}

export interface StepResult {
  obs: Observation;
  /** 1 on success at the end of the episode, else 0. */
  reward: number;
  done: boolean;
  success: boolean;
  /** Set when the action was invalid or impossible (it was a no-op). */
  error?: string;
  steps: number;
}

export class Episode {
  readonly task: TaskInstance;
  readonly maxSteps: number;
  world: WorldState;
  steps = 0;
  done = false;
  success = false;
  private last: StepResult | null = null;

  constructor(template: AnyTemplate, seed: number, opts: EpisodeOptions = {}) {
    this.task = instantiate(template, seed, opts);
    this.maxSteps = opts.maxSteps ?? template.maxSteps ?? 20;
    this.world = this.task.world;
  }

  get instruction(): string {
    return this.task.instruction;
  }

  reset(): Observation {
    this.world = this.task.world;
    this.steps = 0;
    this.done = false;
    this.success = false;
    this.last = null;
    return observe(this.world);
  }

  observe(): Observation {
    return observe(this.world);
  }

  /** Check of the current state (without ending the episode). */
  succeeded(): boolean {
    return this.task.template.check(this.world, this.task.params);
  }

  /** Reference trajectory from the current state. */
  oracle(): SolveResult {
    return solve(this.task.template, this.task.params, this.world);
  }

  step(action: Action): StepResult {
    if (this.done && this.last) return { ...this.last, error: 'episode is over' };
    const { world, error } = applyAction(this.world, action);
    this.world = world;
    this.steps++;
    const t = this.task.template;
    const failed = t.failed?.(world, this.task.params) ?? false;
    const ended = action?.type === 'done' || failed || this.steps >= this.maxSteps;
    if (ended) {
      this.done = true;
      this.success = !failed && t.check(world, this.task.params);
    }
    const result: StepResult = {
      obs: observe(world),
      reward: this.done && this.success ? 1 : 0,
      done: this.done,
      success: this.success,
      steps: this.steps,
      ...(error ? { error } : {}),
    };
    this.last = result;
    return result;
  }
}
