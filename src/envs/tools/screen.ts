// Pictures with text in them, for the tool tasks that need OCR: a mobile-sized screen with a
// title bar, a few captions, and one coloured picture panel whose text only the pixels carry.
// Text is drawn with the world's 5×7 font (src/envs/render/font.ts) at scale 1 or 2.

import type { Rng } from '../../rng';
import { ADVANCE, GLYPH_H, GLYPH_W, glyphPixel } from '../render/font';
import { NAMED_COLORS, THEMES, contrastOn, type RGB } from '../render/theme';
import { SCREEN } from '../types';
import type { Box, Screenshot } from './types';

function fillRect(shot: Screenshot, box: Box, color: RGB): void {
  for (let y = Math.max(0, box.y); y < Math.min(shot.height, box.y + box.h); y++) {
    for (let x = Math.max(0, box.x); x < Math.min(shot.width, box.x + box.w); x++) {
      shot.rgb.set(color, (y * shot.width + x) * 3);
    }
  }
}

/** Draws `text` with its top-left cell corner at (x, y), each font pixel an s × s block. */
export function drawText(
  shot: Screenshot,
  text: string,
  x: number,
  y: number,
  color: RGB,
  s = 1,
): void {
  [...text].forEach((ch, k) => {
    for (let row = 0; row < GLYPH_H; row++) {
      for (let col = 0; col < GLYPH_W; col++) {
        if (glyphPixel(ch, col, row)) {
          fillRect(shot, { x: x + (k * ADVANCE + col) * s, y: y + row * s, w: s, h: s }, color);
        }
      }
    }
  });
}

export const textWidth = (text: string, s = 1): number => (text.length * ADVANCE - 1) * s;

const PANEL_COLORS = ['blue', 'green', 'teal', 'purple', 'brown', 'black', 'yellow', 'orange'];
const PAD = 4;

/**
 * A screen titled `title` with `captions` as plain text and a picture panel showing
 * `pictureText`; returns the screenshot and the panel's box (what an OCR call should read).
 */
export function renderPictureScreen(
  rng: Rng,
  title: string,
  captions: string[],
  pictureText: string,
): { screenshot: Screenshot; textBox: Box } {
  const { width, height } = SCREEN.mobile;
  const theme = rng.pick(Object.values(THEMES));
  const shot: Screenshot = { rgb: new Uint8Array(width * height * 3), width, height };
  fillRect(shot, { x: 0, y: 0, w: width, h: height }, theme.background);
  fillRect(shot, { x: 0, y: 0, w: width, h: 16 }, theme.statusBar);
  drawText(shot, title, 4, 5, theme.statusText);

  let y = 24;
  for (const caption of captions) {
    drawText(shot, caption, 6, y, theme.muted);
    y += 12;
  }
  const scale = textWidth(pictureText, 2) + 2 * PAD <= width - 12 && rng.chance(0.5) ? 2 : 1;
  const w = textWidth(pictureText, scale) + 2 * PAD + rng.int(0, 8);
  const h = GLYPH_H * scale + 2 * PAD + rng.int(0, 6);
  const panel: Box = { x: rng.int(4, width - w - 4), y: y + rng.int(4, 40), w, h };
  const fill = NAMED_COLORS[rng.pick(PANEL_COLORS) as keyof typeof NAMED_COLORS];
  fillRect(shot, panel, fill);
  drawText(shot, pictureText, panel.x + PAD, panel.y + PAD, contrastOn(fill), scale);
  return { screenshot: shot, textBox: panel };
}
