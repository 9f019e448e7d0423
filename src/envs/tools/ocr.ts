// OCR tool: reads text drawn with the world's fixed-pitch bitmap font inside a box of an RGB
// screenshot, by template matching against the font's glyph table. Example:
//   readText(screenshot, { x: 8, y: 40, w: 120, h: 12 }) -> "Total: $42.50"
// How: the most common colour in the box is the background and everything far from it is ink;
// rows of ink form text lines; for each line and each text scale the glyph grid is aligned
// (cell top and left offset searched exhaustively) and every cell takes the glyph with the
// fewest mismatched pixels; scales whose stroke width does not fit the ink are skipped. The decoded text is then redrawn and compared with the ink pixel by
// pixel: the scale with the fewest errors wins, and too many errors (noise, icons, a photo)
// means there is no legible text.

import { ADVANCE, FIRST_CODE, GLYPH_H, GLYPH_W, LAST_CODE, glyphPixel } from '../render/font';
import { fail, ok, type Box, type Screenshot, type ToolResult } from './types';

/** A fixed-pitch bitmap font: glyph cells of width × height font pixels, `advance` apart. */
export interface OcrFont {
  width: number;
  height: number;
  advance: number;
  /** Each glyph's pixels, row-major, width × height entries of 0 or 1. */
  glyphs: ReadonlyMap<string, ArrayLike<number>>;
}

const INK_THRESHOLD = 48; // max channel difference from the background that counts as ink
const MAX_ERROR_RATIO = 0.2; // redraw errors over ink pixels above which nothing is legible
const SCALES = [1, 2, 3];
const MAX_REGION_PIXELS = 512 * 512;

interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
  ink: Uint8Array; // w × h, 1 where the pixel is text
  inkCount: number;
}

interface Line {
  top: number; // cell top, region coordinates
  left: number; // left edge of the first cell
  chars: string[]; // ' ' for empty cells
}

/** Most frequent colour in the box as background; ink = pixels far from it. */
function extractInk(shot: Screenshot, box: Box): Region {
  const counts = new Map<number, number>();
  for (let y = box.y; y < box.y + box.h; y++) {
    for (let x = box.x; x < box.x + box.w; x++) {
      const i = (y * shot.width + x) * 3;
      const key = (shot.rgb[i] << 16) | (shot.rgb[i + 1] << 8) | shot.rgb[i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  let background = 0;
  let best = -1;
  for (const [key, n] of counts) if (n > best) [background, best] = [key, n];
  const [br, bg, bb] = [background >> 16, (background >> 8) & 255, background & 255];
  const ink = new Uint8Array(box.w * box.h);
  let inkCount = 0;
  for (let y = 0; y < box.h; y++) {
    for (let x = 0; x < box.w; x++) {
      const i = ((box.y + y) * shot.width + box.x + x) * 3;
      const d = Math.max(
        Math.abs(shot.rgb[i] - br),
        Math.abs(shot.rgb[i + 1] - bg),
        Math.abs(shot.rgb[i + 2] - bb),
      );
      if (d > INK_THRESHOLD) {
        ink[y * box.w + x] = 1;
        inkCount++;
      }
    }
  }
  return { ...box, ink, inkCount };
}

const inkAt = (r: Region, x: number, y: number): number =>
  x >= 0 && y >= 0 && x < r.w && y < r.h ? r.ink[y * r.w + x] : 0;

/**
 * Text drawn at scale s has ink runs (along rows and columns) whose lengths are multiples of s;
 * runs cut by the box edge are ignored. Returns the gcd of all other run lengths.
 */
function runLengthGcd(r: Region): number {
  let g = 0;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const scan = (count: number, length: number, at: (i: number, j: number) => number): void => {
    for (let i = 0; i < count; i++) {
      let start = -1;
      for (let j = 0; j <= length; j++) {
        const on = j < length && at(i, j) === 1;
        if (on && start < 0) start = j;
        if (!on && start >= 0) {
          if (start > 0 && j < length) g = gcd(g, j - start);
          start = -1;
        }
      }
    }
  };
  scan(r.h, r.w, (y, x) => r.ink[y * r.w + x]);
  scan(r.w, r.h, (x, y) => r.ink[y * r.w + x]);
  return g;
}

/** Row bands of ink, merged while the merged band still fits in one glyph cell. */
function textBands(r: Region, cellHeight: number): [top: number, bottom: number][] {
  const bands: [number, number][] = [];
  for (let y = 0; y < r.h; y++) {
    let any = false;
    for (let x = 0; x < r.w && !any; x++) any = r.ink[y * r.w + x] === 1;
    if (!any) continue;
    const last = bands[bands.length - 1];
    if (last && (last[1] === y - 1 || y - last[0] < cellHeight)) last[1] = y;
    else bands.push([y, y]);
  }
  return bands;
}

/**
 * Mismatches between a glyph and the cell at (left, top). Each font pixel is an s × s block;
 * sampling its two opposite corners (one pixel when s = 1) is cheap and, unlike a single
 * sample, tells a grid one pixel off from the right one.
 */
function cellMismatch(
  r: Region,
  font: OcrFont,
  bits: ArrayLike<number>,
  left: number,
  top: number,
  s: number,
  bound: number, // stop counting once this many mismatches are found
): number {
  const far = s - 1;
  let errors = 0;
  for (let gy = 0; gy < font.height && errors < bound; gy++) {
    for (let gx = 0; gx < font.width; gx++) {
      const bit = bits[gy * font.width + gx];
      const x = left + gx * s;
      const y = top + gy * s;
      if (inkAt(r, x, y) !== bit) errors++;
      if (far > 0 && inkAt(r, x + far, y + far) !== bit) errors++;
    }
  }
  return errors;
}

/** Reads one band at scale s: the grid alignment and glyphs with the fewest mismatches. */
function readBand(r: Region, font: OcrFont, band: [number, number], s: number): Line {
  const cellH = font.height * s;
  let inkLeft = r.w;
  let inkRight = -1;
  for (let y = band[0]; y <= band[1]; y++) {
    for (let x = 0; x < r.w; x++) {
      if (r.ink[y * r.w + x]) {
        inkLeft = Math.min(inkLeft, x);
        inkRight = Math.max(inkRight, x);
      }
    }
  }
  const pitch = font.advance * s;
  let best: Line & { errors: number } = { top: 0, left: 0, chars: [], errors: Infinity };
  for (let top = band[1] - cellH + 1; top <= band[0]; top++) {
    for (let left = inkLeft - (font.width - 1) * s; left <= inkLeft; left++) {
      const chars: string[] = [];
      let errors = 0;
      for (let cellLeft = left; cellLeft <= inkRight && errors < best.errors; cellLeft += pitch) {
        let bestChar = ' ';
        let bestErrors = Infinity;
        for (const [ch, bits] of font.glyphs) {
          const e = cellMismatch(r, font, bits, cellLeft, top, s, bestErrors);
          if (e < bestErrors) [bestChar, bestErrors] = [ch, e];
        }
        chars.push(bestChar);
        errors += bestErrors;
      }
      if (errors < best.errors) best = { top, left, chars, errors };
    }
  }
  return best;
}

/** Pixels where the decoded lines, redrawn at scale s, disagree with the ink. */
function redrawErrors(r: Region, font: OcrFont, lines: Line[], s: number): number {
  const drawn = new Uint8Array(r.w * r.h);
  for (const line of lines) {
    line.chars.forEach((ch, k) => {
      const bits = font.glyphs.get(ch);
      if (!bits) return;
      for (let y = 0; y < font.height * s; y++) {
        for (let x = 0; x < font.width * s; x++) {
          const px = line.left + k * font.advance * s + x;
          const py = line.top + y;
          if (px < 0 || py < 0 || px >= r.w || py >= r.h) continue;
          if (bits[Math.floor(y / s) * font.width + Math.floor(x / s)]) drawn[py * r.w + px] = 1;
        }
      }
    });
  }
  let errors = 0;
  for (let i = 0; i < drawn.length; i++) errors += drawn[i] ^ r.ink[i];
  return errors;
}

/** The text inside `box`, lines joined by '\n'; an error when there is none to read. */
export function readTextWithFont(shot: Screenshot, box: Box, font: OcrFont): ToolResult {
  if (![box.x, box.y, box.w, box.h].every(Number.isFinite)) {
    return fail('box must be four finite numbers');
  }
  const x0 = Math.max(0, Math.round(box.x));
  const y0 = Math.max(0, Math.round(box.y));
  const x1 = Math.min(shot.width, Math.round(box.x + box.w));
  const y1 = Math.min(shot.height, Math.round(box.y + box.h));
  if (x1 <= x0 || y1 <= y0) return fail('the box is empty or outside the screenshot');
  if ((x1 - x0) * (y1 - y0) > MAX_REGION_PIXELS) return fail('the box is too large to read');
  const region = extractInk(shot, { x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
  if (region.inkCount === 0) return fail('no text in the box');

  let best: { text: string; errors: number } | null = null;
  const runGcd = runLengthGcd(region);
  for (const s of SCALES) {
    if (runGcd % s !== 0) continue; // strokes are not s pixels thick
    if (font.height * s > region.h + font.height) continue; // glyphs this big cannot fit
    const lines = textBands(region, font.height * s).map((b) => readBand(region, font, b, s));
    const errors = redrawErrors(region, font, lines, s);
    if (!best || errors < best.errors) {
      const text = lines
        .map((l) => l.chars.join('').trim())
        .filter((t) => t !== '')
        .join('\n');
      best = { text, errors };
    }
  }
  if (!best || best.text === '' || best.errors > MAX_ERROR_RATIO * region.inkCount) {
    return fail('no legible text in the box');
  }
  return ok(best.text);
}

/** The world's 5×7 font (src/envs/render/font.ts) as an OCR glyph table. */
export const WORLD_FONT: OcrFont = (() => {
  const glyphs = new Map<string, Uint8Array>();
  for (let code = FIRST_CODE; code <= LAST_CODE; code++) {
    const ch = String.fromCharCode(code);
    const bits = new Uint8Array(GLYPH_W * GLYPH_H);
    for (let row = 0; row < GLYPH_H; row++) {
      for (let col = 0; col < GLYPH_W; col++) bits[row * GLYPH_W + col] = +glyphPixel(ch, col, row);
    }
    glyphs.set(ch, bits);
  }
  return { width: GLYPH_W, height: GLYPH_H, advance: ADVANCE, glyphs };
})();

/** The OCR tool: text drawn in the world's font inside `box` of the screenshot. */
export function readText(shot: Screenshot, box: Box): ToolResult {
  return readTextWithFont(shot, box, WORLD_FONT);
}
