// Pictures with text in them, for the tool tasks that need OCR: a mobile-sized screen with a
// title bar, a few captions, and one coloured picture panel whose text only the pixels carry.
// Drawn with the world's rasteriser (src/envs/render), its 5×7 font at scale 1 or 2.

import type { Rng } from '../../rng';
import { ADVANCE, GLYPH_H } from '../render/font';
import { Canvas } from '../render/render';
import { NAMED_COLORS, THEMES, contrastOn } from '../render/theme';
import { SCREEN } from '../types';
import type { Box, Screenshot } from './types';

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
  const canvas = new Canvas(width, height);
  const all = canvas.full();
  canvas.fill(0, 0, width, height, theme.background, all);
  canvas.fill(0, 0, width, 16, theme.statusBar, all);
  canvas.text(4, 5, title, theme.statusText, all);

  let y = 24;
  for (const caption of captions) {
    canvas.text(6, y, caption, theme.muted, all);
    y += 12;
  }
  const scale = textWidth(pictureText, 2) + 2 * PAD <= width - 12 && rng.chance(0.5) ? 2 : 1;
  const w = textWidth(pictureText, scale) + 2 * PAD + rng.int(0, 8);
  const h = GLYPH_H * scale + 2 * PAD + rng.int(0, 6);
  const panel: Box = { x: rng.int(4, width - w - 4), y: y + rng.int(4, 40), w, h };
  const fill = NAMED_COLORS[rng.pick(PANEL_COLORS) as keyof typeof NAMED_COLORS];
  canvas.fill(panel.x, panel.y, panel.w, panel.h, fill, all);
  canvas.text(panel.x + PAD, panel.y + PAD, pictureText, contrastOn(fill), all, scale);
  const screenshot: Screenshot = { rgb: canvas.pixels, width, height };
  return { screenshot, textBox: panel };
}
