// Oracle episodes as data: the start state of a task instance, the oracle's reference
// trajectory from it, and the observation before each reference step (so prompts can come
// from the middle of an episode). Walking an episode runs the oracle's search, so records are
// kept in a small least-recently-used cache keyed by (template, seed, perturbation).
import { Episode } from '../../envs/episode';
import type { RefStep } from '../../envs/oracle';
import type { PerturbOptions } from '../../envs/perturb';
import { getTemplate } from '../../envs/registry';
import type { Observation } from '../../envs/types';

export interface EpisodeRecord {
  key: string;
  template: string;
  seed: number;
  perturbName: string;
  instruction: string;
  /** The oracle's reference trajectory from the start state; the last step is `done`. */
  refs: RefStep[];
  /** states[t] is the observation before refs[t] (same length as refs). */
  states: Observation[];
  /** Why the oracle could not solve the task (then refs and states are empty). */
  failure?: string;
}

export function episodeKey(template: string, seed: number, perturbName: string): string {
  return `${template}/${seed}/${perturbName}`;
}

/** Plays the oracle's trajectory from the start, recording the observation before each step. */
export function walkOracleEpisode(
  template: string,
  seed: number,
  perturbName: string,
  perturb: PerturbOptions,
): EpisodeRecord {
  const key = episodeKey(template, seed, perturbName);
  const ep = new Episode(getTemplate(template), seed, { perturb });
  let obs = ep.reset();
  const base = { key, template, seed, perturbName, instruction: ep.instruction };
  const solved = ep.oracle();
  if (!solved.ok) return { ...base, refs: [], states: [], failure: solved.reason };
  const refs = solved.steps;
  const states: Observation[] = [];
  for (const ref of refs) {
    states.push(obs);
    if (ref.type === 'done') break;
    const result = ep.step(ref.action);
    if (result.error) return { ...base, refs: [], states: [], failure: result.error };
    obs = result.obs;
  }
  return { ...base, refs: refs.slice(0, states.length), states };
}

/** A least-recently-used map with a fixed capacity. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  getOrCreate(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = make();
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
    return value;
  }
}
