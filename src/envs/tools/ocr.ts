// OCR tool: reads text drawn with the world's fixed-pitch bitmap font inside a box of an RGB
// screenshot, by template matching against the font's glyph table. Example:
//   readText(screenshot, { x: 8, y: 40, w: 120, h: 12 }) -> "Total: $42.50"
// How: the most common colour in the box is the background and everything far from it is ink,
// except long straight runs (borders, dividers); rows of ink form text lines; for each line and
// each text scale (skipped when the stroke width does not fit) the glyph grid is aligned by
// exhaustive search of its top and left offsets and every cell takes the glyph with the fewest
// mismatches. Each cell is then redrawn and compared with the ink pixel by pixel: cells that do
// not match (icons) read as gaps, and a reading that leaves most ink unexplained (noise, a
// photo) means there is no legible text.

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
const MAX_CELL_ERROR_RATIO = 0.34; // a cell redrawn this wrong is not a character
const MAX_ERROR_RATIO = 0.2; // redraw errors over the ink read, above which nothing is legible
const MIN_READ_INK = 0.5; // share of the ink that must be read as characters
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
 * The ink without straight runs longer than a glyph (maxRow along a row, maxColumn along a
 * column): borders, dividers and outlines of the element around the text, never text itself.
 */
function withoutLongRuns(r: Region, maxRow: number, maxColumn: number): Region {
  const ink = r.ink.slice();
  const erase = (
    count: number,
    length: number,
    index: (i: number, j: number) => number,
    max: number,
  ) => {
    for (let i = 0; i < count; i++) {
      let start = -1;
      for (let j = 0; j <= length; j++) {
        const on = j < length && r.ink[index(i, j)] === 1;
        if (on && start < 0) start = j;
        if (!on && start >= 0) {
          if (j - start > max) for (let k = start; k < j; k++) ink[index(i, k)] = 0;
          start = -1;
        }
      }
    }
  };
  erase(r.h, r.w, (y, x) => y * r.w + x, maxRow);
  erase(r.w, r.h, (x, y) => y * r.w + x, maxColumn);
  let inkCount = 0;
  for (let i = 0; i < ink.length; i++) inkCount += ink[i];
  return { ...r, ink, inkCount };
}

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

interface Reading {
  text: string;
  readInk: number; // ink pixels inside the cells read as characters
  errors: number; // pixels where those cells, redrawn, disagree with the ink
}

/**
 * Redraws every cell of the lines at full resolution and keeps the cells that match their ink:
 * a cell whose glyph disagrees with too much of it (an icon, a fragment of a picture) is not
 * text and reads as a gap. Runs of gaps and spaces become one space.
 */
function verifyLines(r: Region, font: OcrFont, lines: Line[], s: number): Reading {
  const pitch = font.advance * s;
  const cellH = font.height * s;
  let readInk = 0;
  let errors = 0;
  const texts = lines.map((line) => {
    const chars = line.chars.map((ch, k) => {
      const bits = font.glyphs.get(ch)!;
      let cellInk = 0;
      let glyphInk = 0;
      let cellErrors = 0;
      for (let y = 0; y < cellH; y++) {
        for (let x = 0; x < pitch; x++) {
          const bit =
            x < font.width * s ? bits[Math.floor(y / s) * font.width + Math.floor(x / s)] : 0;
          const ink = inkAt(r, line.left + k * pitch + x, line.top + y);
          cellInk += ink;
          glyphInk += bit;
          cellErrors += bit ^ ink;
        }
      }
      if (cellErrors > MAX_CELL_ERROR_RATIO * Math.max(cellInk, glyphInk, 1)) return ' ';
      readInk += cellInk;
      errors += cellErrors;
      return ch;
    });
    return chars.join('').replace(/\s+/g, ' ').trim();
  });
  return { text: texts.filter((t) => t !== '').join('\n'), readInk, errors };
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

  // The scale whose reading explains the most ink; it must explain most of it, and well.
  let best: Reading | null = null;
  let bestScore = 0;
  for (const s of SCALES) {
    if (font.height * s > region.h + font.height) continue; // glyphs this big cannot fit
    const ink = withoutLongRuns(region, font.width * s, font.height * s);
    if (ink.inkCount === 0) continue;
    if (runLengthGcd(ink) % s !== 0) continue; // strokes are not s pixels thick
    const lines = textBands(ink, font.height * s).map((b) => readBand(ink, font, b, s));
    const reading = verifyLines(ink, font, lines, s);
    const legible =
      reading.text !== '' &&
      reading.readInk >= MIN_READ_INK * ink.inkCount &&
      reading.errors <= MAX_ERROR_RATIO * reading.readInk;
    const score = (reading.readInk - reading.errors) / ink.inkCount;
    if (legible && score > bestScore) [best, bestScore] = [reading, score];
  }
  return best ? ok(best.text) : fail('no legible text in the box');
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
