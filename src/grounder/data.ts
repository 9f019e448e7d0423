// Grounding data from the world: (screen, description, target) triples read off oracle
// episodes. Each screen an oracle episode passes through yields
//   - the oracle's own step target ("click the Wi-Fi toggle" → the Wi-Fi toggle),
//   - a few more elements described by the world's describer (describeNode), drawn with extra
//     weight on the hard ones: duplicate labels (told apart only by the row or an ordinal)
//     and unlabelled icons (told apart only by pixels),
//   - colour-only descriptions ("the red item") where one colour singles out one element,
//   - off-screen descriptions: an element of another screen of the same episode that has no
//     look-alike here (no element with its label; for unlabelled ones, none of its role and icon). The right answer is "not found": the target is
//     the extra "not found" row the model scores after the elements (see model.ts).
// The generator sees app internals (node keys, colours, icons) to label the data; the model
// only ever gets the element list without keys, the pixels and the description.
import { Rng } from '../rng';
import { describeNode } from '../envs/describe';
import { Episode } from '../envs/episode';
import type { RefStep } from '../envs/oracle';
import type { PerturbOptions } from '../envs/perturb';
import { render } from '../envs/render/render';
import { TEMPLATES } from '../envs/registry';
import { SEED_RANGES } from '../envs/suites/splits';
import type { AnyTemplate, Split } from '../envs/task';
import type { Observation, Role, ScreenNode } from '../envs/types';

/**
 * 'vague' ("the button" with several buttons on screen) is never trained on: it is ambiguous
 * by construction, and measures that the grounder guesses rather than knows.
 */
export const CATEGORIES = ['plain', 'duplicate', 'icon', 'colour', 'offscreen', 'vague'] as const;
export type GroundingCategory = (typeof CATEGORIES)[number];

export interface GroundingSample {
  description: string;
  /** 0-based index into the screen's elements; −1 = the target is not on this screen. */
  target: number;
  category: GroundingCategory;
}

/** One screen and the descriptions grounded on it. */
export interface GroundingScreen {
  obs: Observation;
  /** render(obs).pixels. */
  pixels: Uint8Array;
  /** template/seed/step, for the data card and for debugging. */
  source: string;
  samples: GroundingSample[];
}

export interface GroundingDataOptions {
  /** 'train' uses the seen templates (train and held-out-params tags) on train seeds. */
  split: Split;
  /** Oracle episodes to walk, round-robin over the split's templates. */
  episodes: number;
  seed: number;
  /** Extra described elements per screen (besides the oracle's step target). */
  extraPerScreen?: number;
  /** Chance of one off-screen description per screen. */
  offscreenRate?: number;
  /** Add one vague description per screen where one is possible (evaluation only). */
  vague?: boolean;
}

const PERTURBATIONS: readonly PerturbOptions[] = [
  {},
  {},
  { theme: true },
  { jitter: 2 },
  { distractor: true },
  { popup: true },
  { initialScroll: true },
  { theme: true, jitter: 2, distractor: true },
];

const ROLE_WORD: Partial<Record<Role, string>> = {
  listitem: 'item',
  menuitem: 'menu item',
  textfield: 'field',
};

const ORDINAL = /^the (first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|#\d+) /;

export function splitTemplates(split: Split): AnyTemplate[] {
  const seen = (t: AnyTemplate) => t.tags.split === 'train' || t.tags.split === 'held-out-params';
  return [...TEMPLATES.values()].filter((t) =>
    split === 'train' || split === 'held-out-params' ? seen(t) : t.tags.split === split,
  );
}

function elementOf(obs: Observation, sn: ScreenNode) {
  return obs.elements[sn.id - 1];
}

/** Elements an agent could be asked to act on. */
function candidates(obs: Observation): ScreenNode[] {
  return obs.nodes.filter((sn) => {
    if (sn.id === 0) return false;
    const e = elementOf(obs, sn);
    return e.enabled && e.visible && sn.node.role !== 'window' && sn.node.role !== 'dialog';
  });
}

function categoryOf(description: string, sn: ScreenNode): GroundingCategory {
  if (/ in the row '/.test(description) || ORDINAL.test(description)) return 'duplicate';
  if (!sn.node.text?.trim() && sn.node.icon) return 'icon';
  return 'plain';
}

/** The element the oracle's step acts on, if the step names one on this screen. */
function stepTarget(obs: Observation, step: RefStep): ScreenNode | undefined {
  if (!step.target || !step.box) return undefined;
  const a = step.action;
  if ((a.type === 'click' || a.type === 'longpress') && 'x' in a) {
    for (let i = obs.nodes.length - 1; i >= 0; i--) {
      const sn = obs.nodes[i];
      const c = sn.clip;
      if (sn.id > 0 && a.x >= c.x && a.y >= c.y && a.x < c.x + c.w && a.y < c.y + c.h) return sn;
    }
    return undefined;
  }
  if (a.type === 'type') return obs.nodes.find((sn) => sn.id > 0 && elementOf(obs, sn).focused);
  return undefined;
}

/** "the red item" where exactly one candidate of that role has that colour. */
function colourSamples(obs: Observation, pool: ScreenNode[]): GroundingSample[] {
  const out: GroundingSample[] = [];
  for (const sn of pool) {
    const colour = sn.node.color;
    if (!colour) continue;
    const same = pool.filter((o) => o.node.role === sn.node.role && o.node.color === colour);
    if (same.length !== 1) continue;
    const word = ROLE_WORD[sn.node.role] ?? sn.node.role;
    out.push({ description: `the ${colour} ${word}`, target: sn.id - 1, category: 'colour' });
  }
  return out;
}

interface Described {
  description: string;
  role: Role;
  text: string;
  icon: string;
  key: string;
  app: string;
}

function lookalike(obs: Observation, d: Described): boolean {
  if (obs.app === d.app && obs.nodes.some((sn) => sn.id > 0 && sn.node.key === d.key)) return true;
  // Any element with the same label (whatever its role), or an unlabelled one of the same
  // role and icon, could be what the description means: then it is not "off-screen".
  return obs.nodes.some(
    (sn) =>
      sn.id > 0 &&
      (d.text
        ? (sn.node.text ?? '') === d.text
        : sn.node.role === d.role && !sn.node.text && (sn.node.icon ?? '') === d.icon),
  );
}

/** Walks the oracle's trajectory, returning each screen with the step taken on it. */
function walk(t: AnyTemplate, seed: number, perturb: PerturbOptions) {
  const ep = new Episode(t, seed, { perturb });
  ep.reset();
  const solved = ep.oracle();
  if (!solved.ok) return [];
  const out: { obs: Observation; step: RefStep }[] = [];
  for (const step of solved.steps) {
    out.push({ obs: ep.observe(), step });
    if (step.type === 'done') break;
    ep.step(step.action);
  }
  return out;
}

/** Screens with grounding samples, deterministic in the options. */
export function groundingScreens(opts: GroundingDataOptions): GroundingScreen[] {
  return [...iterateGroundingScreens(opts)];
}

/** The same screens one at a time (training keeps only their features, not the pixels). */
export function* iterateGroundingScreens(opts: GroundingDataOptions): Generator<GroundingScreen> {
  const templates = splitTemplates(opts.split);
  if (templates.length === 0)
    throw new Error(`grounding data: no templates in split ${opts.split}`);
  const extra = opts.extraPerScreen ?? 3;
  const offRate = opts.offscreenRate ?? 0.25;
  const rng = new Rng(opts.seed);
  const [seed0] = SEED_RANGES[opts.split];
  for (let k = 0; k < opts.episodes; k++) {
    const t = templates[k % templates.length];
    const seed = seed0 + 500_000 + opts.seed * 10_000 + Math.floor(k / templates.length);
    const walked = walk(t, seed, PERTURBATIONS[k % PERTURBATIONS.length]);
    // Everything describable in this episode, for off-screen samples.
    const described: Described[] = [];
    for (const { obs } of walked) {
      for (const sn of candidates(obs)) {
        described.push({
          description: describeNode(obs, sn),
          role: sn.node.role,
          text: sn.node.text ?? '',
          icon: sn.node.icon ?? '',
          key: sn.node.key,
          app: obs.app,
        });
      }
    }
    for (const [i, { obs, step }] of walked.entries()) {
      const pool = candidates(obs);
      if (pool.length === 0) continue;
      const samples: GroundingSample[] = [];
      const used = new Set<number>();
      const own = stepTarget(obs, step);
      if (own && step.target) {
        samples.push({
          description: step.target,
          target: own.id - 1,
          category: categoryOf(step.target, own),
        });
        used.add(own.id);
      }
      const weight = (sn: ScreenNode) => {
        const c = categoryOf(describeNode(obs, sn), sn);
        return c === 'plain' ? 1 : 4;
      };
      for (let j = 0; j < extra; j++) {
        const left = pool.filter((sn) => !used.has(sn.id));
        if (left.length === 0) break;
        const sn = weightedPick(rng, left, weight);
        used.add(sn.id);
        const description = describeNode(obs, sn);
        samples.push({ description, target: sn.id - 1, category: categoryOf(description, sn) });
      }
      const colours = colourSamples(obs, pool);
      if (colours.length > 0) samples.push(rng.pick(colours));
      if (rng.chance(offRate)) {
        const absent = described.filter((d) => !lookalike(obs, d));
        if (absent.length > 0)
          samples.push({
            description: rng.pick(absent).description,
            target: -1,
            category: 'offscreen',
          });
      }
      if (opts.vague) {
        const v = vagueSample(pool, rng);
        if (v) samples.push(v);
      }
      yield { obs, pixels: render(obs).pixels, source: `${t.id}/${seed}/${i}`, samples };
    }
  }
}

/** "the button" where at least three enabled buttons are on screen; the target is one of them. */
function vagueSample(pool: ScreenNode[], rng: Rng): GroundingSample | undefined {
  const byRole = new Map<Role, ScreenNode[]>();
  for (const sn of pool) byRole.set(sn.node.role, [...(byRole.get(sn.node.role) ?? []), sn]);
  const roles = [...byRole].filter(([r, xs]) => xs.length >= 3 && r !== 'text');
  if (roles.length === 0) return undefined;
  const [role, xs] = rng.pick(roles);
  const sn = rng.pick(xs);
  return { description: `the ${ROLE_WORD[role] ?? role}`, target: sn.id - 1, category: 'vague' };
}

function weightedPick<T>(rng: Rng, items: readonly T[], weight: (x: T) => number): T {
  const w = items.map(weight);
  let u = rng.uniform(
    0,
    w.reduce((a, b) => a + b, 0),
  );
  for (let i = 0; i < items.length; i++) {
    u -= w[i];
    if (u < 0) return items[i];
  }
  return items[items.length - 1];
}

/** Sample counts per category. */
export function categoryCounts(
  screens: readonly GroundingScreen[],
): Record<GroundingCategory, number> {
  const out = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<
    GroundingCategory,
    number
  >;
  for (const s of screens) for (const x of s.samples) out[x.category]++;
  return out;
}
