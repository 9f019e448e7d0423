import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng';
import { THEMES } from '../../src/envs/render/theme';
import { readText } from '../../src/envs/tools/ocr';
import { runTool } from '../../src/envs/tools/registry';
import { Canvas, render } from '../../src/envs/render/render';
import { createWorld, observe } from '../../src/envs/world';
import type { RGB } from '../../src/envs/render/theme';
import { renderPictureScreen, textWidth } from '../../src/envs/tools/screen';
import type { Screenshot } from '../../src/envs/tools/types';

function blank(width: number, height: number, color: readonly number[]): Screenshot {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i += 3) rgb.set(color, i);
  return { rgb, width, height };
}

/** Text drawn by the world's rasteriser. */
function drawText(shot: Screenshot, text: string, x: number, y: number, color: RGB, scale = 1) {
  const canvas = new Canvas(shot.width, shot.height, shot.rgb);
  canvas.text(x, y, text, color, canvas.full(), scale);
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

describe('OCR of the world font', () => {
  it('reads back every printable character, on two lines, at scale 1', () => {
    const light = THEMES.light;
    const shot = blank(300, 40, light.background);
    const [first, second] = [PRINTABLE.slice(1, 48), PRINTABLE.slice(48)];
    drawText(shot, first, 5, 6, light.text);
    drawText(shot, second, 5, 20, light.text);
    expect(readText(shot, { x: 0, y: 0, w: 300, h: 40 })).toEqual({
      ok: true,
      result: `${first}\n${second}`,
    });
  });

  it('reads scale-2 text in either theme, wherever the box starts', () => {
    for (const theme of Object.values(THEMES)) {
      const shot = blank(160, 60, theme.background);
      drawText(shot, 'Total: $42.50', 7, 23, theme.text, 2);
      for (const [x, y] of [
        [0, 0],
        [3, 17],
        [7, 23],
      ]) {
        const box = { x, y, w: 160 - x, h: 60 - y };
        expect(readText(shot, box)).toEqual({ ok: true, result: 'Total: $42.50' });
      }
    }
  });

  it('reads only what is inside the box', () => {
    const shot = blank(200, 40, THEMES.light.background);
    drawText(shot, 'LEFT', 4, 4, THEMES.light.text);
    drawText(shot, 'RIGHT', 100, 4, THEMES.light.text);
    expect(readText(shot, { x: 96, y: 0, w: 104, h: 20 })).toEqual({ ok: true, result: 'RIGHT' });
    expect(readText(shot, { x: 0, y: 0, w: 40, h: 20 })).toEqual({ ok: true, result: 'LEFT' });
    // clipped to the screenshot, not an error
    expect(readText(shot, { x: 96, y: -10, w: 400, h: 30 })).toEqual({ ok: true, result: 'RIGHT' });
  });

  it('reads the picture panels of the tool-task screens', () => {
    const rng = new Rng(9);
    for (const text of ['Coffee Grinder', 'GATE B12', '$184.05', 'Mexico City', 'il1|!.,;:']) {
      const { screenshot, textBox } = renderPictureScreen(rng, 'Photos', ['Shared with you'], text);
      expect(readText(screenshot, textBox)).toEqual({ ok: true, result: text });
      expect(textBox.w).toBeGreaterThanOrEqual(textWidth(text));
    }
  });

  it('gives an error for noise, empty regions and bad boxes', () => {
    const rng = new Rng(1);
    const noise: Screenshot = {
      rgb: Uint8Array.from({ length: 80 * 40 * 3 }, () => rng.int(0, 255)),
      width: 80,
      height: 40,
    };
    expect(readText(noise, { x: 0, y: 0, w: 80, h: 40 })).toEqual({
      ok: false,
      error: 'no legible text in the box',
    });
    const shot = blank(100, 40, THEMES.dark.background);
    drawText(shot, 'hi', 80, 30, THEMES.dark.text);
    expect(readText(shot, { x: 0, y: 0, w: 60, h: 25 })).toEqual({
      ok: false,
      error: 'no text in the box',
    });
    expect(readText(shot, { x: 10, y: 10, w: 0, h: 5 }).ok).toBe(false);
    expect(readText(shot, { x: 500, y: 10, w: 10, h: 5 }).ok).toBe(false);
    expect(readText(shot, { x: Number.NaN, y: 0, w: 10, h: 5 }).ok).toBe(false);
    // a solid block is ink but not text
    const block = blank(40, 20, [255, 255, 255]);
    for (let y = 5; y < 15; y++)
      for (let x = 5; x < 30; x++) block.rgb.set([0, 0, 0], (y * 40 + x) * 3);
    expect(readText(block, { x: 0, y: 0, w: 40, h: 20 }).ok).toBe(false);
  });

  it('reads the labels of real app screens drawn by the world renderer', () => {
    let read = 0;
    for (const start of ['launcher', 'settings']) {
      for (const theme of ['light', 'dark']) {
        const obs = observe(createWorld(new Rng(3), { start, perturb: { theme } }));
        const frame = render(obs);
        const shot = { rgb: frame.pixels, width: frame.width, height: frame.height };
        for (const e of obs.elements) {
          const r = readText(shot, e.box);
          if (e.role === 'image') expect(r.ok, 'pictures without text').toBe(false);
          if (!['button', 'listitem', 'text', 'tab', 'menuitem', 'link'].includes(e.role)) continue;
          if (e.text === '' || textWidth(e.text) > e.box.w) continue;
          expect(r.ok && r.result, `${start} ${theme} ${e.role} '${e.text}'`).toContain(e.text);
          read++;
        }
      }
    }
    expect(read).toBeGreaterThanOrEqual(8);
  });

  it('runs as a tool on the screenshot from the context', () => {
    const shot = blank(120, 30, THEMES.light.surface);
    drawText(shot, 'Order #5521', 10, 10, THEMES.light.text);
    const call = { tool: 'ocr', args: { x: 0, y: 0, w: 120, h: 30 } };
    expect(runTool(call, { screenshot: shot })).toEqual({ ok: true, result: 'Order #5521' });
  });
});
