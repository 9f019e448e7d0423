// The renderer is deterministic (golden hashes per template and seed, byte-identical frames
// for the same state), different states differ, and pixel-only facts really are in the pixels.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ADVANCE,
  FIRST_CODE,
  GLYPH_H,
  GLYPH_ROWS,
  ICON_NAMES,
  ICON_ROWS,
  LAST_CODE,
  TEMPLATES,
  THEME_NAMES,
  applyAction,
  appState,
  describeElements,
  glyphTable,
  hashPixels,
  instantiate,
  observe,
  render,
  solve,
  type WorldState,
} from '../../src/envs';
import type { SettingsState } from '../../src/envs/apps/settings';

const GOLDEN = new URL('./golden-hashes.json', import.meta.url);

/**
 * Hash of every in-app frame along the oracle's trajectory from the start. Launcher frames
 * are left out: they show every installed app, so they change whenever an app is added.
 */
function trajectoryHash(id: string, seed: number): string {
  const t = TEMPLATES.get(id)!;
  const task = instantiate(t, seed, { perturb: { theme: true } });
  const r = solve(t, task.params, task.world);
  let w = task.world;
  const hashes: string[] = [];
  for (const s of r.steps) {
    w = applyAction(w, s.action).world;
    const obs = observe(w);
    if (obs.app !== 'launcher') hashes.push(hashPixels(render(obs).pixels));
  }
  return hashPixels(new TextEncoder().encode(hashes.join(',')));
}

function frameOf(w: WorldState): Uint8Array {
  return render(observe(w)).pixels;
}

function countDiff(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('renderer', () => {
  it('matches the golden hashes per (template, seed)', () => {
    const golden: Record<string, string> = existsSync(GOLDEN)
      ? JSON.parse(readFileSync(GOLDEN, 'utf8'))
      : {};
    const actual: Record<string, string> = {};
    for (const id of TEMPLATES.keys())
      for (const seed of [0, 1]) actual[`${id}#${seed}`] = trajectoryHash(id, seed);
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(GOLDEN, JSON.stringify(actual, null, 2) + '\n');
      return;
    }
    const known = Object.keys(golden);
    expect(known.length, 'no golden hashes: run with UPDATE_GOLDEN=1 once').toBeGreaterThan(0);
    for (const k of known) if (k in actual) expect(actual[k], k).toBe(golden[k]);
    const missing = Object.keys(actual).filter((k) => !(k in golden));
    if (missing.length)
      console.warn(`no golden hash yet for ${missing.length} (template, seed) pairs`);
  });

  it('renders the same state byte-identically, into a reused buffer too', () => {
    const t = TEMPLATES.get('mail.read-code')!;
    const w = instantiate(t, 4, { perturb: { theme: 'dark', jitter: 2, distractor: true } }).world;
    const a = frameOf(w).slice();
    const b = frameOf(structuredClone(w));
    expect(b).toEqual(a);
    const buf = new Uint8Array(a.length).fill(7);
    expect(render(observe(w), buf).pixels).toBe(buf);
    expect(buf).toEqual(a);
  });

  it('different states give different frames', () => {
    const t = TEMPLATES.get('settings.wifi')!;
    const task = instantiate(t, 2);
    const r = solve(t, task.params, task.world);
    let w = task.world;
    const seen = new Set([hashPixels(frameOf(w))]);
    for (const s of r.steps.slice(0, -1)) {
      w = applyAction(w, s.action).world;
      seen.add(hashPixels(frameOf(w)));
    }
    expect(seen.size).toBe(r.steps.length); // start + every step but 'done'
    for (const theme of THEME_NAMES)
      seen.add(hashPixels(frameOf({ ...w, perturb: { ...w.perturb, theme } })));
    expect(seen.size).toBe(r.steps.length + THEME_NAMES.length - 1);
  });

  it('pixel-only facts change pixels but not the element list', () => {
    const t = TEMPLATES.get('mail.read-code')!;
    // Open the email whose code is inside an image, then change only that image text.
    let task = instantiate(t, 0);
    for (let s = 1; !(task.params as { inImage: boolean }).inImage; s++) task = instantiate(t, s);
    const r = solve(t, task.params, task.world);
    let w = task.world;
    for (const s of r.steps.filter((x) => x.type === 'click')) w = applyAction(w, s.action).world;
    const mail = appState<{ messages: { imageText?: string }[] }>(w, 'mail');
    const altered = {
      ...w,
      apps: {
        ...w.apps,
        mail: {
          ...mail,
          messages: mail.messages.map((m) => (m.imageText ? { ...m, imageText: '0000' } : m)),
        },
      },
    };
    expect(describeElements(observe(altered))).toBe(describeElements(observe(w)));
    expect(countDiff(frameOf(altered), frameOf(w))).toBeGreaterThan(20);

    // Status icons: Wi-Fi on or off is only drawn.
    const settings = appState<SettingsState>(w, 'settings');
    const wifiOff = { ...w, apps: { ...w.apps, settings: { ...settings, wifi: false } } };
    const wifiOn = { ...w, apps: { ...w.apps, settings: { ...settings, wifi: true } } };
    expect(describeElements(observe(wifiOff))).toBe(describeElements(observe(wifiOn)));
    expect(countDiff(frameOf(wifiOff), frameOf(wifiOn))).toBeGreaterThan(5);

    // Product colours in shop results are swatches only.
    const shopT = TEMPLATES.get('shop.by-color')!;
    const st = instantiate(shopT, 1);
    const sr = solve(shopT, st.params, st.world);
    let sw = st.world;
    for (const s of sr.steps.slice(0, 2)) sw = applyAction(sw, s.action).world;
    const shop = appState<{ catalog: { color: string }[] }>(sw, 'shop');
    const recoloured = {
      ...sw,
      apps: {
        ...sw.apps,
        shop: {
          ...shop,
          catalog: shop.catalog.map((p) => ({ ...p, color: p.color === 'red' ? 'blue' : 'red' })),
        },
      },
    };
    expect(describeElements(observe(recoloured))).toBe(describeElements(observe(sw)));
    expect(countDiff(frameOf(recoloured), frameOf(sw))).toBeGreaterThan(20);
  });

  it('draws text with the exported font table (readable back for OCR)', () => {
    const table = glyphTable();
    expect(table.size).toBe(LAST_CODE - FIRST_CODE + 1); // every glyph distinct
    const t = TEMPLATES.get('settings.wifi')!;
    const obs = observe(instantiate(t, 0).world);
    const frame = render({ ...obs, theme: 'contrast' });
    // The title bar reads 'Home' at (3, 3), white on black under the contrast theme.
    let text = '';
    for (let k = 0; k < 4; k++) {
      const rows: number[] = [];
      for (let r = 0; r < GLYPH_H; r++) {
        let bits = 0;
        for (let c = 0; c < 5; c++) {
          const i = ((3 + r) * frame.width + 3 + k * ADVANCE + c) * 3;
          bits = (bits << 1) | (frame.pixels[i] > 128 ? 1 : 0);
        }
        rows.push(bits);
      }
      text += table.get(rows.join(',')) ?? '?';
    }
    expect(text).toBe('Home');
    expect(GLYPH_ROWS.length).toBe((LAST_CODE - FIRST_CODE + 1) * GLYPH_H);
    const icons = new Set(ICON_NAMES.map((n) => Array.from(ICON_ROWS[n]).join(',')));
    expect(icons.size).toBe(ICON_NAMES.length); // icons are distinguishable
  });
});
