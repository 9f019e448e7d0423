// The tool agent that turns a step's target description into a click point, for the
// receding-horizon agent (evaluation, stage 2) and the agent viewer alike. The frozen grounder
// (src/grounder: the ONNX model in onnxruntime-web, or our own forward of it) plugs in
// through frozenGrounder; textMatchGrounder is a clearly labelled STAND-IN that compares the
// description with every element's own grounding description (describeNode) and its text,
// and clicks the best match's centre (kind to exact descriptions, blind to pixels).
import { describeNode } from '../../envs/describe';
import type { GroundingAgent } from '../../grounder/agent';
import { screenElements } from '../../grounder/features';
import { pointInBox, tokenF1 } from '../../envs/metrics';
import type { Box, Observation } from '../../envs/types';

export interface Point {
  x: number;
  y: number;
}

export interface Grounding {
  /** Set-of-marks id of the element it picked, or null when nothing on screen matched. */
  elementId: number | null;
  /** Where it clicks (screen pixels), null when nothing matched. */
  point: Point | null;
  /** How sure it is, in [0, 1]. */
  score: number;
  /** Which tool answered: the viewer labels stand-in results as such. */
  source: 'grounder' | 'stand-in';
}

/** Description → click point on one screen (the ONNX grounder is async, hence the Promise). */
export type Grounder = (
  obs: Observation,
  pixels: Uint8Array,
  description: string,
) => Grounding | Promise<Grounding>;

/** The stand-in accepts a match when token F1 with the description reaches this. */
export const STAND_IN_THRESHOLD = 0.5;

const centre = (b: Box): Point => ({ x: b.x + Math.floor(b.w / 2), y: b.y + Math.floor(b.h / 2) });

/** The oracle writes slider clicks as "the Brightness slider at 40%": where along it. */
const SLIDER_AT = /\s+at (\d{1,3})%$/;

/**
 * STAND-IN grounder: the element whose grounding description is exactly the one given, else
 * the best token F1 between the description and each element's grounding description or text
 * (ties go to the first in reading order); the centre of that element, or the written
 * position along a slider. Ignores the pixels.
 */
export function textMatchGrounder(
  obs: Observation,
  _pixels: Uint8Array,
  description: string,
): Grounding {
  const at = SLIDER_AT.exec(description);
  const wanted = at ? description.slice(0, at.index) : description;
  let best: { id: number; score: number } | null = null;
  for (const sn of obs.nodes) {
    if (sn.id === 0) continue;
    const el = obs.elements[sn.id - 1];
    if (!el.enabled || el.box.w <= 0 || el.box.h <= 0) continue;
    const described = describeNode(obs, sn);
    // Normalised tokens lose punctuation (":15" and "15"), so an exact match goes first.
    if (described === wanted) {
      best = { id: el.id, score: 1 };
      break;
    }
    const score = Math.max(tokenF1(wanted, described), tokenF1(wanted, el.text));
    if (!best || score > best.score) best = { id: el.id, score };
  }
  if (!best || best.score < STAND_IN_THRESHOLD)
    return { elementId: null, point: null, score: best?.score ?? 0, source: 'stand-in' };
  const el = obs.elements[best.id - 1];
  const point = centre(el.box);
  if (at && el.role === 'slider') {
    const pct = Math.min(100, Number(at[1]));
    point.x = el.box.x + Math.round((pct * Math.max(1, el.box.w - 1)) / 100);
  }
  return { elementId: best.id, point, score: best.score, source: 'stand-in' };
}

/** Stage 2's GUI reward: 1 when the grounded click point lies inside the target's box. */
export function clickInside(point: Point | null, box: Box | null | undefined): boolean {
  return point !== null && box !== null && box !== undefined && pointInBox(point, box);
}

/**
 * The frozen grounder as the agent's Grounder: it sees the element list as shown (no app
 * keys), the pixels and the description.
 */
export function frozenGrounder(agent: GroundingAgent): Grounder {
  return async (obs, pixels, description) => {
    const screen = { width: obs.width, height: obs.height, elements: screenElements(obs.elements) };
    const r = await agent.ground(screen, pixels, description);
    return { elementId: r.elementId, point: r.point, score: r.confidence, source: 'grounder' };
  };
}
