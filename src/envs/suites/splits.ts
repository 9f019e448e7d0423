// Splits and instances. Every suite instance is (template, seed, perturbation), fixed by the
// suite, the split and the instance's index, so the same call always gives the same list.
//
// Splits (the template's own `tags.split` decides where a template may appear):
//   train              templates tagged 'train' or 'held-out-params', seeds in [0, 1e6)
//   held-out-params    the same templates, seeds in [1e6, 2e6): seen tasks, unseen parameters
//   held-out-templates templates tagged 'held-out-templates' (never in train), seeds in [2e6, 3e6)
//   held-out-apps      templates tagged 'held-out-apps' (never in train), seeds in [3e6, 4e6)
// Inside each range a suite starts at its own seedOffset (spec.ts), so two suites that share
// templates (mobile-online and mobile-offline-high) never share an instance.
// Training prompts come from 'train' only; the benchmark of a suite (evaluationInstances)
// draws from the three held-out splits, round-robin over its templates.
// Tool suites have no template split tags: their train and held-out-params splits are seed
// ranges of the same generators, and their held-out-templates / held-out-apps splits are empty.
import { hashString, Rng } from '../../rng';
import type { PerturbOptions } from '../perturb';
import type { AnyTemplate, Split } from '../task';
import type { ToolLevel } from '../tools';
import { getSuite, suiteTemplates, type SuiteName } from './spec';

export const SPLITS: readonly Split[] = [
  'train',
  'held-out-params',
  'held-out-templates',
  'held-out-apps',
];

/** The splits the benchmark numbers are measured on. */
export const EVALUATION_SPLITS: readonly Split[] = SPLITS.slice(1);

/** Disjoint seed ranges, [start, end). */
export const SEED_RANGES: Record<Split, readonly [number, number]> = {
  train: [0, 1_000_000],
  'held-out-params': [1_000_000, 2_000_000],
  'held-out-templates': [2_000_000, 3_000_000],
  'held-out-apps': [3_000_000, 4_000_000],
};

/** Instances per template and suite that fit between two suites' offsets. */
const PER_SUITE = 100_000;

export interface GuiInstance {
  suite: SuiteName;
  split: Split;
  template: string;
  seed: number;
  /** Short name of the perturbation ('none', 'theme', 'popup', ...). */
  perturbName: string;
  perturb: PerturbOptions;
}

export interface ToolInstance {
  suite: 'tools' | 'tools-multihop';
  split: Split;
  seed: number;
  /** GAIA-like suite: levels are cycled so each is a third of the benchmark. */
  level?: ToolLevel;
}

export type SuiteInstance = GuiInstance | ToolInstance;

// About half the instances are clean; the rest carry one perturbation (or all of them).
const PERTURBATIONS: readonly [string, PerturbOptions][] = [
  ['none', {}],
  ['none', {}],
  ['none', {}],
  ['none', {}],
  ['theme', { theme: true }],
  ['jitter', { jitter: 2 }],
  ['distractor', { distractor: true }],
  ['popup', { popup: true }],
  ['scrolled', { initialScroll: true }],
  ['all', { theme: true, jitter: 2, distractor: true, popup: true, initialScroll: true }],
];

function perturbationFor(suite: SuiteName, template: string, seed: number) {
  const rng = new Rng(hashString(`${suite}/${template}/${seed}`));
  return rng.pick(PERTURBATIONS);
}

/** Templates a split may use; the train split and held-out-params share the seen templates. */
export function splitTemplates(suite: SuiteName, split: Split): AnyTemplate[] {
  const seen = (t: AnyTemplate) => t.tags.split === 'train' || t.tags.split === 'held-out-params';
  return suiteTemplates(suite).filter((t) =>
    split === 'train' || split === 'held-out-params' ? seen(t) : t.tags.split === split,
  );
}

function seedFor(suite: SuiteName, split: Split, k: number): number {
  if (k >= PER_SUITE) throw new Error(`${suite}/${split}: instance ${k} is past the seed range`);
  return SEED_RANGES[split][0] + getSuite(suite).seedOffset + k;
}

function guiInstance(suite: SuiteName, split: Split, template: string, k: number): GuiInstance {
  const seed = seedFor(suite, split, k);
  const [perturbName, perturb] = perturbationFor(suite, template, seed);
  return { suite, split, template, seed, perturbName, perturb };
}

function toolInstance(suite: 'tools' | 'tools-multihop', split: Split, i: number): ToolInstance {
  const seed = seedFor(suite, split, i);
  return suite === 'tools-multihop'
    ? { suite, split, seed, level: ((i % 3) + 1) as ToolLevel }
    : { suite, split, seed };
}

const isToolSuite = (s: SuiteName): s is 'tools' | 'tools-multihop' =>
  s === 'tools' || s === 'tools-multihop';

/**
 * `count` instances of one split (default: the suite's size; offline suites log as many of
 * them as they need). Instance i uses template i mod n with the (i div n)-th seed of the range.
 */
export function suiteInstances(
  suite: SuiteName,
  split: Split,
  count = getSuite(suite).size,
): SuiteInstance[] {
  if (isToolSuite(suite)) {
    if (split === 'held-out-templates' || split === 'held-out-apps') return [];
    return Array.from({ length: count }, (_, i) => toolInstance(suite, split, i));
  }
  const templates = splitTemplates(suite, split);
  if (templates.length === 0) return [];
  return Array.from({ length: count }, (_, i) =>
    guiInstance(suite, split, templates[i % templates.length].id, Math.floor(i / templates.length)),
  );
}

/**
 * The benchmark instances of a suite: held-out-params for the seen templates, and the
 * held-out-templates / held-out-apps splits for the rest, round-robin over all its templates.
 */
export function evaluationInstances(suite: SuiteName, count = getSuite(suite).size) {
  if (isToolSuite(suite))
    return Array.from({ length: count }, (_, i) => toolInstance(suite, 'held-out-params', i));
  const pool = EVALUATION_SPLITS.flatMap((split) =>
    splitTemplates(suite, split).map((t) => ({ split, id: t.id })),
  ).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (pool.length === 0) return [];
  return Array.from({ length: count }, (_, i) => {
    const { split, id } = pool[i % pool.length];
    return guiInstance(suite, split, id, Math.floor(i / pool.length));
  });
}
