// Grounding: turning a step's target description into a point on the screen. The frozen ONNX
// grounder (src/envs/grounder, issue 5 §1) is THE tool agent; until its runner lands, the
// agent uses `describeMatchGrounder`, a stand-in that looks the description up among the
// world's own descriptions of the screen's elements (exact match first, then the most shared
// words). It is far kinder than a learned grounder on exact descriptions and knows nothing
// of pixels, so numbers measured with it are marked with its name.
import { describeNode } from '../../envs/describe';
import { normalizeTokens } from '../../envs/metrics';
import type { Observation, ScreenNode } from '../../envs/types';

export interface Grounding {
  /** Set-of-marks id of the element found (1-based). */
  elementId: number;
  /** Where to click, inside the element's box. */
  point: { x: number; y: number };
  /** In [0, 1]. */
  confidence: number;
}

/** The frozen tool agent's shape: createGrounder(...).ground(obs, pixels, description). */
export interface Grounder {
  readonly name: string;
  /** null (or elementId < 1) when nothing on the screen matches. */
  ground(
    obs: Observation,
    pixels: Uint8Array,
    description: string,
  ): Grounding | null | Promise<Grounding | null>;
}

/** Shared words over all words; below this the stand-in says "not found". */
const MIN_OVERLAP = 0.5;

/** A slider target ends "… at 70%": the fraction along its box. */
const AT_PERCENT = /\s+at\s+(\d{1,3})%$/;

/** STAND-IN for the frozen grounder: the element whose world description matches best. */
export function describeMatchGrounder(): Grounder {
  return {
    name: 'describe-match (stand-in)',
    ground(obs, _pixels, description) {
      const pct = AT_PERCENT.exec(description);
      const wanted = pct ? description.slice(0, pct.index) : description;
      const wantedTokens = normalizeTokens(wanted);
      let best: { sn: ScreenNode; score: number } | null = null;
      for (const sn of obs.nodes) {
        if (sn.id < 1 || sn.inert) continue;
        const text = describeNode(obs, sn);
        if (text === wanted) {
          best = { sn, score: 1 };
          break;
        }
        const score = overlap(normalizeTokens(text), wantedTokens);
        if (!best || score > best.score) best = { sn, score };
      }
      if (!best || best.score < MIN_OVERLAP) return null;
      const box = best.sn.clip;
      // A slider's percentage is measured along its whole box, as the oracle describes it.
      const x = pct
        ? best.sn.box.x + Math.round((Math.min(100, Number(pct[1])) / 100) * (best.sn.box.w - 1))
        : box.x + Math.floor(box.w / 2);
      return {
        elementId: best.sn.id,
        point: { x, y: box.y + Math.floor(box.h / 2) },
        confidence: best.score,
      };
    },
  };
}

/** Jaccard overlap of two token lists (as sets). */
function overlap(a: readonly string[], b: readonly string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  let shared = 0;
  for (const t of A) if (B.has(t)) shared++;
  const union = A.size + B.size - shared;
  return union === 0 ? 0 : shared / union;
}
