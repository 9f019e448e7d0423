// The rasteriser: draws an observation into a fixed-size RGB buffer (row-major, 3 bytes per
// pixel). Integer rectangles, bitmap glyphs and icons only, so the output is byte-identical
// for the same state on every platform, and fast (thousands of frames per second in Node).
import { ADVANCE, GLYPH_H, GLYPH_ROWS, GLYPH_W, glyphIndex } from './font';
import { ICON_ROWS, ICON_SIZE } from './icons';
import { NAMED_COLORS, contrastOn, getTheme, type RGB, type Theme } from './theme';
import { STATUS_BAR_H, type Box, type IconName, type Observation, type ScreenNode } from '../types';

export interface Frame {
  width: number;
  height: number;
  /** RGB, row-major. */
  pixels: Uint8Array;
}

/** A clip rectangle as inclusive-exclusive bounds. */
interface Clip {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export class Canvas {
  readonly pixels: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    pixels?: Uint8Array,
  ) {
    this.pixels = pixels ?? new Uint8Array(width * height * 3);
    if (this.pixels.length !== width * height * 3)
      throw new Error('canvas buffer has the wrong size');
  }

  full(): Clip {
    return { x0: 0, y0: 0, x1: this.width, y1: this.height };
  }

  fill(x: number, y: number, w: number, h: number, c: RGB, clip: Clip): void {
    const x0 = Math.max(x, clip.x0);
    const y0 = Math.max(y, clip.y0);
    const x1 = Math.min(x + w, clip.x1);
    const y1 = Math.min(y + h, clip.y1);
    if (x1 <= x0 || y1 <= y0) return;
    const p = this.pixels;
    const stride = this.width * 3;
    // Paint the first row, then copy it down.
    let i = y0 * stride + x0 * 3;
    const rowStart = i;
    for (let xx = x0; xx < x1; xx++, i += 3) {
      p[i] = c[0];
      p[i + 1] = c[1];
      p[i + 2] = c[2];
    }
    const len = (x1 - x0) * 3;
    for (let yy = y0 + 1; yy < y1; yy++)
      p.copyWithin(yy * stride + x0 * 3, rowStart, rowStart + len);
  }

  /** 1-px outline. */
  frame(x: number, y: number, w: number, h: number, c: RGB, clip: Clip): void {
    this.fill(x, y, w, 1, c, clip);
    this.fill(x, y + h - 1, w, 1, c, clip);
    this.fill(x, y, 1, h, c, clip);
    this.fill(x + w - 1, y, 1, h, c, clip);
  }

  /** Blend every pixel in the clip towards `c` by `amount` (0..1); for dialog scrims. */
  dim(c: RGB, amount: number, clip: Clip): void {
    const p = this.pixels;
    const k = Math.round(amount * 256);
    for (let y = clip.y0; y < clip.y1; y++) {
      for (let x = clip.x0, i = (y * this.width + x) * 3; x < clip.x1; x++, i += 3) {
        p[i] = p[i] + (((c[0] - p[i]) * k) >> 8);
        p[i + 1] = p[i + 1] + (((c[1] - p[i + 1]) * k) >> 8);
        p[i + 2] = p[i + 2] + (((c[2] - p[i + 2]) * k) >> 8);
      }
    }
  }

  private dot(x: number, y: number, c: RGB, clip: Clip): void {
    if (x < clip.x0 || y < clip.y0 || x >= clip.x1 || y >= clip.y1) return;
    const i = (y * this.width + x) * 3;
    this.pixels[i] = c[0];
    this.pixels[i + 1] = c[1];
    this.pixels[i + 2] = c[2];
  }

  /** Text with its top-left at (x, y); returns the x after the last glyph. */
  text(x: number, y: number, s: string, c: RGB, clip: Clip, scale = 1): number {
    for (let k = 0; k < s.length; k++) {
      const g = glyphIndex(s[k]) * GLYPH_H;
      const gx = x + k * ADVANCE * scale;
      if (gx >= clip.x1) break;
      for (let r = 0; r < GLYPH_H; r++) {
        const bits = GLYPH_ROWS[g + r];
        if (bits === 0) continue;
        for (let col = 0; col < GLYPH_W; col++) {
          if (!((bits >> (GLYPH_W - 1 - col)) & 1)) continue;
          if (scale === 1) this.dot(gx + col, y + r, c, clip);
          else this.fill(gx + col * scale, y + r * scale, scale, scale, c, clip);
        }
      }
    }
    return x + s.length * ADVANCE * scale;
  }

  icon(x: number, y: number, name: IconName, c: RGB, clip: Clip): void {
    const rows = ICON_ROWS[name];
    for (let r = 0; r < ICON_SIZE; r++) {
      const bits = rows[r];
      for (let col = 0; col < ICON_SIZE; col++) {
        if ((bits >> (ICON_SIZE - 1 - col)) & 1) this.dot(x + col, y + r, c, clip);
      }
    }
  }
}

function clipOf(b: Box): Clip {
  return { x0: b.x, y0: b.y, x1: b.x + b.w, y1: b.y + b.h };
}

function and(a: Clip, b: Clip): Clip {
  return {
    x0: Math.max(a.x0, b.x0),
    y0: Math.max(a.y0, b.y0),
    x1: Math.min(a.x1, b.x1),
    y1: Math.min(a.y1, b.y1),
  };
}

function textW(s: string, scale = 1): number {
  return Math.max(0, s.length * ADVANCE - 1) * scale;
}

const LINE_H = GLYPH_H + 3;

/** A multi-line text area (a tall text field): the text wrapped from the top, the last lines
 * shown when it runs past the bottom, as an editor scrolls to the caret. */
function drawTextArea(cv: Canvas, b: Box, text: string, c: RGB, clip: Clip, perLine: number): void {
  const lines: string[] = [];
  for (let i = 0; i < text.length || lines.length === 0; i += perLine)
    lines.push(text.slice(i, i + perLine));
  const fits = Math.max(1, Math.floor((b.h - 4) / LINE_H));
  lines.slice(-fits).forEach((line, i) => cv.text(b.x + 3, b.y + 3 + i * LINE_H, line, c, clip));
}

/** Draw one node. `clip` is its visible area; `b` its full screen box. */
function drawNode(cv: Canvas, sn: ScreenNode, t: Theme, focused: boolean): void {
  const n = sn.node;
  const b = sn.box;
  const clip = clipOf(sn.clip);
  const enabled = n.enabled !== false;
  const fg = enabled ? (n.muted ? t.muted : t.text) : t.muted;
  const named = n.color ? NAMED_COLORS[n.color] : undefined;
  const midY = b.y + Math.floor((b.h - GLYPH_H) / 2);
  const label = n.text ?? '';
  switch (n.role) {
    case 'panel':
      cv.fill(b.x, b.y, b.w, b.h, named ?? t.surface, clip);
      return;
    case 'text': {
      const scale = n.scale ?? 1;
      cv.text(
        b.x,
        b.y + Math.max(0, Math.floor((b.h - GLYPH_H * scale) / 2)),
        label,
        named ?? fg,
        clip,
        scale,
      );
      return;
    }
    case 'link': {
      const c = enabled ? t.accent : t.muted;
      cv.text(b.x, midY, label, c, clip);
      cv.fill(b.x, midY + GLYPH_H + 1, Math.min(b.w, textW(label)), 1, c, clip);
      return;
    }
    case 'button': {
      const tone = n.tone ?? 'primary';
      let bg: RGB = tone === 'primary' ? t.accent : tone === 'danger' ? t.danger : t.surface;
      if (named) bg = named;
      if (!enabled) bg = t.border;
      cv.fill(b.x, b.y, b.w, b.h, bg, clip);
      if (tone === 'plain' && !named) cv.frame(b.x, b.y, b.w, b.h, t.border, clip);
      const c = tone === 'plain' && !named ? fg : named ? contrastOn(named) : t.onAccent;
      let x = b.x + Math.floor((b.w - textW(label) - (n.icon ? 9 : 0)) / 2);
      if (n.icon) {
        cv.icon(x, midY, n.icon, c, clip);
        x += 9;
      }
      cv.text(x, midY, label, c, and(clip, clipOf(b)));
      return;
    }
    case 'icon': {
      const c = named ?? (enabled ? t.accent : t.muted);
      if (n.checked) cv.fill(b.x, b.y, b.w, b.h, t.border, clip);
      cv.icon(
        b.x + Math.floor((b.w - 7) / 2),
        b.y + Math.floor((b.h - 7) / 2),
        n.icon ?? 'more',
        c,
        clip,
      );
      return;
    }
    case 'toggle': {
      cv.text(b.x + 2, midY, label, fg, clip);
      const tx = b.x + b.w - 16;
      const ty = b.y + Math.floor((b.h - 7) / 2);
      const track = n.checked ? (enabled ? t.accent : t.muted) : t.border;
      cv.fill(tx, ty + 1, 14, 5, track, clip);
      cv.fill(n.checked ? tx + 8 : tx, ty, 6, 7, n.checked ? track : t.muted, clip);
      cv.fill(n.checked ? tx + 9 : tx + 1, ty + 1, 4, 5, t.surface, clip);
      return;
    }
    case 'checkbox': {
      const y = b.y + Math.floor((b.h - 9) / 2);
      cv.frame(b.x + 1, y, 9, 9, enabled ? t.text : t.muted, clip);
      if (n.checked) {
        cv.fill(b.x + 2, y + 1, 7, 7, t.accent, clip);
        cv.icon(b.x + 2, y + 1, 'check', t.onAccent, clip);
      }
      cv.text(b.x + 14, midY, label, fg, clip);
      return;
    }
    case 'textfield': {
      cv.fill(b.x, b.y, b.w, b.h, t.surface, clip);
      cv.frame(b.x, b.y, b.w, b.h, focused ? t.accent : t.border, clip);
      if (focused) cv.frame(b.x + 1, b.y + 1, b.w - 2, b.h - 2, t.accent, clip);
      const value = n.value === undefined ? '' : String(n.value);
      const inner = and(clip, { x0: b.x + 2, y0: b.y, x1: b.x + b.w - 2, y1: b.y + b.h });
      const max = Math.floor((b.w - 6) / ADVANCE);
      if (b.h >= 3 * LINE_H) {
        drawTextArea(cv, b, value || (focused ? '' : label), value ? fg : t.muted, inner, max);
        return;
      }
      // Show the end of long contents, as a text field scrolls to the caret.
      const shown = value.length > max ? value.slice(value.length - max) : value;
      const end = cv.text(
        b.x + 3,
        midY,
        shown || (focused ? '' : label),
        shown ? fg : t.muted,
        inner,
      );
      if (focused) cv.fill(shown ? end : b.x + 3, midY - 1, 1, GLYPH_H + 2, t.accent, inner);
      return;
    }
    case 'listitem':
    case 'menuitem': {
      if (n.checked) cv.fill(b.x, b.y, b.w, b.h, t.border, clip);
      else if (n.role === 'menuitem') cv.fill(b.x, b.y, b.w, b.h, t.surface, clip);
      let x = b.x + 3;
      if (named) {
        cv.fill(x, b.y + Math.floor((b.h - 7) / 2), 7, 7, named, clip);
        x += 10;
      }
      if (n.icon) {
        cv.icon(x, b.y + Math.floor((b.h - 7) / 2), n.icon, t.accent, clip);
        x += 10;
      }
      cv.text(x, midY, label, fg, and(clip, clipOf(b)));
      if (n.role === 'listitem') cv.fill(b.x, b.y + b.h - 1, b.w, 1, t.border, clip);
      return;
    }
    case 'menu':
      cv.fill(b.x, b.y, b.w, b.h, t.surface, clip);
      cv.frame(b.x, b.y, b.w, b.h, t.border, clip);
      return;
    case 'tab': {
      const c = n.checked ? t.accent : fg;
      cv.text(b.x + Math.floor((b.w - textW(label)) / 2), midY, label, c, and(clip, clipOf(b)));
      cv.fill(b.x, b.y + b.h - 2, b.w, n.checked ? 2 : 1, n.checked ? t.accent : t.border, clip);
      return;
    }
    case 'dialog':
    case 'window': {
      cv.fill(b.x, b.y, b.w, b.h, t.surface, clip);
      cv.frame(b.x, b.y, b.w, b.h, t.text, clip);
      if (n.role === 'window') cv.fill(b.x + 1, b.y + 1, b.w - 2, 11, t.statusBar, clip);
      cv.text(
        b.x + 5,
        b.y + 3,
        label,
        n.role === 'window' ? t.statusText : t.text,
        and(clip, clipOf(b)),
      );
      return;
    }
    case 'slider': {
      const v = Math.min(100, Math.max(0, Number(n.value ?? 0)));
      const ty = b.y + Math.floor(b.h / 2) - 1;
      cv.fill(b.x, ty, b.w, 2, t.border, clip);
      const kx = b.x + Math.round((v / 100) * (b.w - 1));
      cv.fill(b.x, ty, kx - b.x, 2, enabled ? t.accent : t.muted, clip);
      cv.fill(kx - 1, b.y + 1, 3, b.h - 2, enabled ? t.accent : t.muted, clip);
      return;
    }
    case 'image': {
      cv.fill(b.x, b.y, b.w, b.h, named ?? t.border, clip);
      const c = contrastOn(named ?? t.border);
      if (n.icon) cv.icon(b.x + Math.floor((b.w - 7) / 2), b.y + 2, n.icon, c, clip);
      if (n.imageText) {
        const tw = textW(n.imageText);
        cv.text(
          b.x + Math.floor((b.w - tw) / 2),
          b.y + Math.floor((b.h - GLYPH_H) / 2) + (n.icon ? 3 : 0),
          n.imageText,
          c,
          clip,
        );
      }
      return;
    }
  }
}

/** Draw an observation. Pass `out` (width·height·3 bytes) to reuse a buffer. */
export function render(obs: Observation, out?: Uint8Array): Frame {
  const cv = new Canvas(obs.width, obs.height, out);
  const t = getTheme(obs.theme);
  const all = cv.full();
  cv.fill(0, 0, obs.width, obs.height, t.background, all);
  cv.fill(0, 0, obs.width, STATUS_BAR_H, t.statusBar, all);
  // Status icons at the right of the title bar (pixel-only facts).
  let sx = obs.width - 9;
  for (const icon of obs.status) {
    cv.icon(sx, 2, icon, t.statusText, all);
    sx -= 9;
  }
  const focusedKey = obs.elements.find((e) => e.focused)?.key;
  let dimmed = false;
  for (const sn of obs.nodes) {
    if ((sn.layer === 'dialog' || sn.layer === 'popup') && !dimmed) {
      cv.dim(t.scrim, 0.45, { x0: 0, y0: STATUS_BAR_H, x1: obs.width, y1: obs.height });
      dimmed = true;
    }
    if (sn.layer === 'status') {
      cv.text(sn.box.x, sn.box.y, sn.node.text ?? '', t.statusText, clipOf(sn.clip));
      continue;
    }
    if (sn.clip.w <= 0 || sn.clip.h <= 0) continue;
    drawNode(cv, sn, t, sn.node.key === focusedKey && sn.id > 0);
  }
  // Scroll indicator: a thumb on the right edge when the body scrolls.
  const { y, maxY } = obs.scroll;
  if (maxY > 0 && !dimmed) {
    const vp = obs.viewport;
    const thumb = Math.max(6, Math.round((vp.h * vp.h) / (vp.h + maxY)));
    const ty = vp.y + Math.round(((vp.h - thumb) * y) / maxY);
    cv.fill(obs.width - 2, ty, 2, thumb, t.muted, all);
  }
  return { width: obs.width, height: obs.height, pixels: cv.pixels };
}

/** FNV-1a over the pixels, as 8 hex digits: a stable fingerprint of a frame. */
export function hashPixels(pixels: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < pixels.length; i++) h = Math.imul(h ^ pixels[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
