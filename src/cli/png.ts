// Screenshots to PNG for the CLI: integer upscaling (crisp pixels), an optional set-of-marks
// overlay (element boxes and their numbers) and numbered markers for the next oracle steps.
// Encoded with pngjs.
import { PNG } from 'pngjs';
import { Canvas, type Frame, type Observation } from '../envs';
import type { RefStep } from '../envs';

const MARK: [number, number, number] = [230, 30, 140];
const STEP: [number, number, number] = [20, 110, 240];
const WHITE: [number, number, number] = [255, 255, 255];

/** Nearest-neighbour upscale of an RGB frame by an integer factor. */
export function upscale(frame: Frame, scale: number): Canvas {
  const out = new Canvas(frame.width * scale, frame.height * scale);
  const src = frame.pixels;
  const dst = out.pixels;
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / scale);
    for (let x = 0; x < out.width; x++) {
      const s = (sy * frame.width + Math.floor(x / scale)) * 3;
      const d = (y * out.width + x) * 3;
      dst[d] = src[s];
      dst[d + 1] = src[s + 1];
      dst[d + 2] = src[s + 2];
    }
  }
  return out;
}

/** A label on a filled tab at (x, y) in the upscaled canvas. */
function tag(
  cv: Canvas,
  x: number,
  y: number,
  text: string,
  color: typeof MARK,
  big: boolean,
): void {
  const all = cv.full();
  const k = big ? 2 : 1;
  const [w, h] = [(text.length * 6 + 1) * k + 2, 7 * k + 4];
  const x0 = Math.max(0, Math.min(cv.width - w, x));
  const y0 = Math.max(0, Math.min(cv.height - h, y));
  cv.fill(x0, y0, w, h, color, all);
  cv.text(x0 + 1 + k, y0 + 2, text, WHITE, all, k as 1 | 2);
}

/** Element boxes with their set-of-marks numbers. */
export function drawMarks(cv: Canvas, obs: Observation, scale: number): void {
  const all = cv.full();
  for (const el of obs.elements) {
    const b = el.box;
    if (b.w <= 0 || b.h <= 0) continue;
    cv.frame(b.x * scale, b.y * scale, b.w * scale, b.h * scale, MARK, all);
    tag(cv, b.x * scale, b.y * scale, String(el.id), MARK, scale >= 3);
  }
}

/** Numbered markers where the next reference steps act (1 = the next step). */
export function drawSteps(cv: Canvas, steps: readonly RefStep[], scale: number): void {
  const all = cv.full();
  steps.forEach((s, k) => {
    const a = s.action;
    if (!('x' in a)) return;
    const [x, y] = [a.x * scale + Math.floor(scale / 2), a.y * scale + Math.floor(scale / 2)];
    const r = scale >= 3 ? 6 : 3;
    cv.fill(x - r, y - r, 2 * r + 1, 2 * r + 1, STEP, all);
    cv.frame(x - r - 1, y - r - 1, 2 * r + 3, 2 * r + 3, WHITE, all);
    tag(cv, x + r + 2, y - r, String(k + 1), STEP, scale >= 3);
  });
}

export function encodePng(cv: Canvas): Buffer {
  const png = new PNG({ width: cv.width, height: cv.height });
  for (let i = 0, j = 0; i < cv.pixels.length; i += 3, j += 4) {
    png.data[j] = cv.pixels[i];
    png.data[j + 1] = cv.pixels[i + 1];
    png.data[j + 2] = cv.pixels[i + 2];
    png.data[j + 3] = 255;
  }
  return PNG.sync.write(png);
}
