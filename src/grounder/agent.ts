// The grounding tool agent: what stage 2 and the receding-horizon agent call to turn a step's
// target description into a click on the screen. Two implementations of one interface:
// onnxruntime-web running the frozen .onnx (runner.ts) and our own Backend forward of the
// same weights (backend-grounder.ts), used for parity. Neither sees app state or element
// keys: only the element list as shown, the pixels and the description.
import type { ScreenInput } from './features';

export interface GroundResult {
  /** The chosen element's set-of-marks id, or null when the model says "not on this screen". */
  elementId: number | null;
  /** Where to click, inside the chosen element's box (pixels); null when not found. */
  point: { x: number; y: number } | null;
  /** Probability of the answer given (an element, or "not found"). */
  confidence: number;
  /** Probability per element in list order, then "not found" last (n + 1 values). */
  scores: number[];
  /** The graph's point in screen fractions ((−1, −1) for not found), for parity checks. */
  rawPoint: [number, number];
}

export interface GroundingAgent {
  /** 'ort-wasm', 'ort-webgpu', or 'backend:cpu' / 'backend:webgpu'. */
  readonly backend: string;
  ground(screen: ScreenInput, pixels: Uint8Array, description: string): Promise<GroundResult>;
  dispose(): Promise<void>;
}

/** Turns the model's outputs into a result: ids from the element list, a point in its box. */
export function groundResult(
  screen: ScreenInput,
  probs: ArrayLike<number>,
  choice: number,
  rawPoint: [number, number],
): GroundResult {
  const n = screen.elements.length;
  const scores = Array.from(probs);
  if (scores.length !== n + 1)
    throw new Error(`grounder: ${scores.length} scores for ${n} elements (expected n + 1)`);
  const confidence = scores[choice];
  if (choice >= n) return { elementId: null, point: null, confidence, scores, rawPoint };
  // The graph's point is the same centre in screen fractions; taking it from the integer box
  // keeps the click identical on every backend (f32 rounding cannot move it a pixel).
  const b = screen.elements[choice].box;
  const el = screen.elements[choice];
  const point = { x: b.x + Math.floor(b.w / 2), y: b.y + Math.floor(b.h / 2) };
  return { elementId: el.id, point, confidence, scores, rawPoint };
}
