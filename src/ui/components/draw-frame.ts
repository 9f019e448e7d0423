// Drawing a world frame on a canvas (the gallery, the agent viewer, the GRPO explainer): the RGB frame upscaled by an integer
// factor (crisp pixels), the set-of-marks overlay (element boxes and numbers) and numbered
// markers where the next reference steps act: filled when the step is taken on this screen,
// a ring when it comes on a later screen (its point is where it will be clicked there).
import type { Frame, Observation, RefStep } from '../../envs';

/** A reference step still to come, and whether it is taken on the screen drawn. */
export interface Upcoming {
  step: RefStep;
  here: boolean;
}

/** Marker colours; the e2e test looks for the step colour in the canvas pixels. */
export const STEP_RGB: readonly [number, number, number] = [255, 0, 200];
export const MARK_RGB: readonly [number, number, number] = [0, 150, 255];
const css = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** The frame at its own size, upscaled from here by drawImage (not pixel by pixel in script). */
let scratch: HTMLCanvasElement | null = null;

export function drawFrame(
  canvas: HTMLCanvasElement,
  frame: Frame,
  obs: Pick<Observation, 'elements'>,
  marks: boolean,
  upcoming: readonly Upcoming[],
  scale: number,
): void {
  const [W, H] = [frame.width * scale, frame.height * scale];
  if (canvas.width !== W) canvas.width = W;
  if (canvas.height !== H) canvas.height = H;
  const ctx = canvas.getContext('2d');
  scratch ??= document.createElement('canvas');
  scratch.width = frame.width;
  scratch.height = frame.height;
  const small = scratch.getContext('2d');
  if (!ctx || !small) return;
  const image = small.createImageData(frame.width, frame.height);
  const dst = image.data;
  const src = frame.pixels;
  for (let s = 0, d = 0; s < src.length; s += 3, d += 4) {
    dst[d] = src[s];
    dst[d + 1] = src[s + 1];
    dst[d + 2] = src[s + 2];
    dst[d + 3] = 255;
  }
  small.putImageData(image, 0, 0);
  // Crisp pixels: each frame pixel becomes a scale × scale square.
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, W, H);
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  if (marks) {
    ctx.lineWidth = 1;
    ctx.font = `bold ${Math.max(9, 3 * scale)}px system-ui, sans-serif`;
    for (const el of obs.elements) {
      const b = el.box;
      if (b.w <= 0 || b.h <= 0) continue;
      ctx.strokeStyle = css(MARK_RGB);
      ctx.strokeRect(b.x * scale + 0.5, b.y * scale + 0.5, b.w * scale - 1, b.h * scale - 1);
      const label = String(el.id);
      const w = ctx.measureText(label).width + 6;
      ctx.fillStyle = css(MARK_RGB);
      ctx.fillRect(b.x * scale, b.y * scale, w, 4 * scale);
      ctx.fillStyle = '#fff';
      ctx.fillText(label, b.x * scale + w / 2, b.y * scale + 2 * scale);
    }
  }
  // Later steps first, so the next step's marker sits on top.
  ctx.font = `bold ${Math.max(10, 4 * scale)}px system-ui, sans-serif`;
  for (let k = upcoming.length - 1; k >= 0; k--) {
    const { step, here } = upcoming[k];
    const a = step.action;
    if (!('x' in a)) continue;
    const [cx, cy] = [(a.x + 0.5) * scale, (a.y + 0.5) * scale];
    const r = k === 0 ? 4 * scale : 3 * scale;
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, 2 * Math.PI);
    if (here) {
      ctx.fillStyle = css(STEP_RGB);
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#fff';
      ctx.stroke();
      ctx.fillStyle = '#fff';
    } else {
      ctx.setLineDash([3, 3]);
      ctx.lineWidth = 2;
      ctx.strokeStyle = css(STEP_RGB);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = css(STEP_RGB);
    }
    ctx.fillText(String(k + 1), cx, cy + 1);
  }
}
