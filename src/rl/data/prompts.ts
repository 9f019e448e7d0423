// Training and held-out prompts for the planner: states along oracle episodes of the suites'
// task instances (the start AND the middle of episodes), each with the history of executed
// steps, the rendered screenshot encoded for the model, and the oracle's next H steps as the
// target forecast. Tool suites ('tools', 'tools-multihop') give prompts at every turn of the
// oracle chain, with the remaining calls and the answer as the target (tool-prompts.ts).
// Everything is a pure function of (settings, vocabulary, model config, rng
// draws), so the same seed gives the same prompts; episodes and encodings are cached.
//
//   const source = new PromptSource(settings.data, vocab, plannerConfigOf(settings));
//   const prompts = source.sample(streamRng(seed, 0, update, 'data'), B);   // training
//   const heldOut = source.heldOut(64);                                     // evaluation
import type { RefStep } from '../../envs/oracle';
import type { PerturbOptions } from '../../envs/perturb';
import { render } from '../../envs/render/render';
import {
  suiteInstances,
  type GuiInstance,
  type SuiteInstance,
  type SuiteName,
  type ToolInstance,
  type ToolTurn,
} from '../../envs/suites';
import { generateToolTask, type ToolTask } from '../../envs/tools';
import type { Split } from '../../envs/task';
import type { Observation } from '../../envs/types';
import { hashString, Rng } from '../../rng';
import type { DataSettings } from '../config/schema';
import { markLabels } from '../../text/marks';
import { writeForecast, type Vocab, type WrittenForecast } from '../lang';
import { modelDims, type ModelDims, type PlannerConfig } from '../model/config';
import {
  encodePrompt,
  type EncodedPrompt,
  type PlannerExample,
  type ToolResultLine,
} from '../model/encode';
import { LruCache, walkOracleEpisode, type EpisodeRecord } from './episodes';
import { oracleTurns, toolPromptInput, writeToolForecast } from './tool-prompts';

export interface Prompt {
  suite: SuiteName;
  split: Split;
  template: string;
  seed: number;
  perturbName: string;
  /** The perturbation the episode was made with ({} when data.perturbations is off). */
  perturb: PerturbOptions;
  /** Steps already executed in the episode (0 = its start). */
  t: number;
  instruction: string;
  /** Tool prompts: the results of the calls made so far (shown after the instruction). */
  results?: readonly ToolResultLine[];
  /** What the planner sees (render(obs) gives the screenshot). */
  obs: Observation;
  executed: readonly RefStep[];
  /** The oracle's next H reference steps from this state (stage 2 grounds the first). */
  next: readonly RefStep[];
  /** Tool-use prompts: the task and the oracle's calls made so far (then `next` is empty). */
  tool?: { task: ToolTask; turns: readonly ToolTurn[] };
  /**
   * The target forecast: the next H steps in the action language (ids end with <eos>; the
   * prompt's labels written as their marks, src/text/marks.ts; the text is plain).
   */
  target: WrittenForecast;
  encoded: EncodedPrompt;
}

export interface PromptSourceOptions {
  /** Oracle episodes kept in memory (each holds its observations and encodings). */
  cacheEpisodes?: number;
}

/** Draws per sampled prompt before giving up on unsolvable instances. */
const MAX_TRIES = 32;

interface CachedEpisode {
  record: EpisodeRecord;
  encoded: (EncodedPrompt | undefined)[];
}

export class PromptSource {
  readonly dims: ModelDims;
  private readonly instances = new Map<string, SuiteInstance[]>();
  private readonly cache: LruCache<CachedEpisode>;

  constructor(
    readonly data: DataSettings,
    readonly vocab: Vocab,
    readonly config: PlannerConfig,
    options: PromptSourceOptions = {},
  ) {
    this.dims = modelDims(config, vocab.size);
    this.cache = new LruCache(options.cacheEpisodes ?? 256);
  }

  /** Training prompts drawn so far whose target was longer than the budget F (refused). */
  truncatedRefused = 0;

  /** `count` training prompts from the settings' suites and split, drawn from `rng`. */
  sample(rng: Rng, count: number): Prompt[] {
    const out: Prompt[] = [];
    for (let i = 0; i < count; i++) out.push(this.sampleOne(rng));
    return out;
  }

  /**
   * `count` training prompts whose whole target fits the forecast budget F (SFT never trains
   * on a cut target): a longer one is redrawn and counted in truncatedRefused.
   */
  sampleFitting(rng: Rng, count: number): Prompt[] {
    const out: Prompt[] = [];
    for (let draws = 0; out.length < count; draws++) {
      if (draws >= count * MAX_TRIES)
        throw new Error(
          `PromptSource: ${this.truncatedRefused} targets longer than the forecast budget F=${this.dims.F}; raise model.forecastTokens`,
        );
      const p = this.sampleOne(rng);
      if (p.target.ids.length <= this.dims.F) out.push(p);
      else this.truncatedRefused++;
    }
    return out;
  }

  /**
   * `count` held-out prompts (default split: held-out parameters of the seen templates),
   * round-robin over the suites; the same list every time, whatever the run's seed.
   */
  heldOut(count: number, split: Split = 'held-out-params'): Prompt[] {
    const lists = this.data.suites.map((s) => this.instancesOf(s, split, Math.ceil(count * 2)));
    const out: Prompt[] = [];
    for (let i = 0; out.length < count && i < count * 2 * lists.length; i++) {
      const list = lists[i % lists.length];
      const inst = list[Math.floor(i / lists.length) % Math.max(1, list.length)];
      if (!inst) continue;
      const id = 'template' in inst ? inst.template : 'tool';
      const rng = new Rng(hashString(`heldout/${inst.suite}/${id}/${inst.seed}`));
      const p = this.promptAt(inst, rng);
      if (p) out.push(p);
    }
    if (out.length < count)
      throw new Error(`PromptSource.heldOut: only ${out.length} of ${count} prompts in ${split}`);
    return out;
  }

  /** Model examples (prompt + target ids) of prompts, for packBatch. */
  static examples(prompts: readonly Prompt[]): PlannerExample[] {
    return prompts.map((p) => ({ prompt: p.encoded, forecast: p.target.ids }));
  }

  private sampleOne(rng: Rng): Prompt {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const suite = rng.pick(this.data.suites);
      const list = this.instancesOf(suite, this.data.split, this.data.taskPool);
      if (list.length === 0) continue;
      const p = this.promptAt(list[rng.int(0, list.length - 1)], rng);
      if (p) return p;
    }
    throw new Error(
      `PromptSource: no solvable task in ${MAX_TRIES} draws from ${this.data.suites.join(', ')} (${this.data.split})`,
    );
  }

  private instancesOf(suite: SuiteName, split: Split, count: number): SuiteInstance[] {
    const key = `${suite}/${split}/${count}`;
    let list = this.instances.get(key);
    if (!list) {
      list = suiteInstances(suite, split, count);
      this.instances.set(key, list);
    }
    return list;
  }

  /** A prompt at a position drawn from `rng` (any step if midEpisode, else the start). */
  private promptAt(inst: SuiteInstance, rng: Rng): Prompt | null {
    return 'template' in inst ? this.guiPromptAt(inst, rng) : this.toolPromptAt(inst, rng);
  }

  /** A tool task after 0..chain length oracle calls (0 unless midEpisode). */
  private toolPromptAt(inst: ToolInstance, rng: Rng): Prompt {
    const task = generateToolTask(inst.suite, inst.seed, inst.level ? { level: inst.level } : {});
    const t = this.data.midEpisode ? rng.int(0, task.chain.length) : 0;
    const turns = oracleTurns(task, t);
    const query = { instruction: task.instruction, screen: task.screen?.screenshot };
    const input = toolPromptInput(query, turns);
    const encoded = encodePrompt(this.vocab, this.config, this.dims, input);
    return {
      suite: inst.suite,
      split: inst.split,
      template: task.template,
      seed: task.seed,
      perturbName: 'none',
      perturb: {},
      t,
      instruction: input.instruction,
      results: input.results,
      obs: input.obs,
      executed: [],
      next: [],
      tool: { task, turns },
      target: this.withMarks(writeToolForecast(this.vocab, task, t, this.config.horizon), encoded),
      encoded,
    };
  }

  private guiPromptAt(inst: GuiInstance, rng: Rng): Prompt | null {
    const perturbName = this.data.perturbations ? inst.perturbName : 'none';
    const perturb = this.data.perturbations ? inst.perturb : {};
    const ep = this.cache.getOrCreate(`${inst.template}/${inst.seed}/${perturbName}`, () => {
      const record = walkOracleEpisode(inst.template, inst.seed, perturbName, perturb);
      return { record, encoded: [] };
    });
    const n = ep.record.states.length;
    if (n === 0) return null;
    const t = this.data.midEpisode ? rng.int(0, n - 1) : 0;
    return this.promptOf(inst, ep, t);
  }

  private promptOf(inst: GuiInstance, ep: CachedEpisode, t: number): Prompt {
    const { record } = ep;
    const H = this.config.horizon;
    const obs = record.states[t];
    const executed = record.refs.slice(0, t);
    ep.encoded[t] ??= encodePrompt(this.vocab, this.config, this.dims, {
      obs,
      pixels: render(obs).pixels,
      instruction: record.instruction,
      executed,
    });
    return {
      suite: inst.suite,
      split: inst.split,
      template: record.template,
      seed: record.seed,
      perturbName: record.perturbName,
      perturb: this.data.perturbations ? inst.perturb : {},
      t,
      instruction: record.instruction,
      obs,
      executed,
      next: record.refs.slice(t, t + H),
      target: this.withMarks(writeForecast(this.vocab, record.refs.slice(t), H), ep.encoded[t]),
      encoded: ep.encoded[t],
    };
  }

  private withMarks(target: WrittenForecast, encoded: EncodedPrompt): WrittenForecast {
    return { ...target, ids: markLabels(this.vocab, target.ids, encoded.labels) };
  }
}
