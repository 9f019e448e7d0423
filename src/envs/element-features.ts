// What an element shows the models, as numbers: its box and state flags, its pixel crop and
// its text. The planner's encoder (rl/model/encode.ts) and the grounder (grounder/features.ts)
// both read observations through these, so the two models see an element the same way.
import type { Element } from './types';

/** Names and meanings of the element box/state features, in order (boxFeatures writes them). */
export const BOX_FEATURE_NAMES = [
  'x',
  'y',
  'w',
  'h',
  'hasChecked',
  'checked',
  'focused',
  'enabled',
  'visible',
  'hasValue',
] as const;

/** Box/state features in BOX_FEATURE_NAMES order. */
export function boxFeatures(el: Element, width: number, height: number): number[] {
  const hasValue = el.value !== undefined && el.value !== '';
  const f = [
    el.box.x / width,
    el.box.y / height,
    el.box.w / width,
    el.box.h / height,
    el.checked === undefined ? 0 : 1,
    el.checked ? 1 : 0,
    el.focused ? 1 : 0,
    el.enabled ? 1 : 0,
    el.visible ? 1 : 0,
    hasValue ? 1 : 0,
  ];
  if (f.length !== BOX_FEATURE_NAMES.length) throw new Error('boxFeatures: out of step with names');
  return f;
}

/**
 * The element's box resized to S×S×3 by averaging the screen pixels of each cell (at least
 * the one pixel nearest the cell), values in [0, 1]; `out` gets S·S·3 values.
 */
export function cropPixels(
  pixels: Uint8Array,
  width: number,
  height: number,
  box: { x: number; y: number; w: number; h: number },
  S: number,
  out: Float32Array,
): void {
  out.fill(0);
  if (box.w <= 0 || box.h <= 0) return;
  for (let cy = 0; cy < S; cy++) {
    const y0 = box.y + (cy * box.h) / S;
    const y1 = box.y + ((cy + 1) * box.h) / S;
    const ya = clamp(Math.floor(y0), 0, height - 1);
    const yb = clamp(Math.max(Math.ceil(y1), ya + 1), ya + 1, height);
    for (let cx = 0; cx < S; cx++) {
      const x0 = box.x + (cx * box.w) / S;
      const x1 = box.x + ((cx + 1) * box.w) / S;
      const xa = clamp(Math.floor(x0), 0, width - 1);
      const xb = clamp(Math.max(Math.ceil(x1), xa + 1), xa + 1, width);
      let r = 0;
      let g = 0;
      let b = 0;
      for (let y = ya; y < yb; y++) {
        for (let x = xa; x < xb; x++) {
          const p = (y * width + x) * 3;
          r += pixels[p];
          g += pixels[p + 1];
          b += pixels[p + 2];
        }
      }
      const n = (yb - ya) * (xb - xa) * 255;
      const o = (cy * S + cx) * 3;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** The text an element contributes: its label, then a string value (field contents). */
export function elementText(el: Element): string {
  return typeof el.value === 'string' && el.value !== '' ? `${el.text} ${el.value}` : el.text;
}
