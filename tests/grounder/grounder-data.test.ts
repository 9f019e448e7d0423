// Grounding data from the world: seeded, every category present, off-screen samples really
// have no look-alike on their screen, and the model's inputs do not depend on app keys.
import { describe, expect, it } from 'vitest';
import { GROUNDER_CONFIG, grounderDims } from '../../src/grounder/config';
import { CATEGORIES, categoryCounts, groundingScreens } from '../../src/grounder/data';
import { readGrounderFile } from '../../src/grounder/model-file';
import { loadGrounderBytes } from '../../src/grounder/node';
import { encodeMatch, encodeScreen, screenElements } from '../../src/grounder/features';

// The shipped model carries its own vocabulary (public/models/vocab.json is the planner's).
const vocab = readGrounderFile(loadGrounderBytes()).vocab;
const d = grounderDims(GROUNDER_CONFIG, vocab.size);
const opts = { split: 'train' as const, episodes: 24, seed: 3, vague: true };
const screens = groundingScreens(opts);

describe('grounding data', () => {
  it('is seeded: the same options give the same samples, another seed differs', () => {
    const again = groundingScreens(opts);
    expect(again.map((s) => [s.source, s.samples])).toEqual(
      screens.map((s) => [s.source, s.samples]),
    );
    const other = groundingScreens({ ...opts, seed: 4 });
    expect(other.map((s) => s.samples)).not.toEqual(screens.map((s) => s.samples));
  });

  it('covers every category, with targets that exist on the screen', () => {
    const counts = categoryCounts(screens);
    for (const c of CATEGORIES) expect(counts[c], c).toBeGreaterThan(0);
    for (const s of screens) {
      for (const x of s.samples) {
        if (x.category === 'offscreen') expect(x.target).toBe(-1);
        else expect(s.obs.elements[x.target], x.description).toBeDefined();
      }
    }
  });

  it('off-screen descriptions have no element with the same label on their screen', () => {
    for (const s of screens) {
      for (const x of s.samples.filter((y) => y.category === 'offscreen')) {
        const quoted = /'([^']+)'/.exec(x.description)?.[1];
        if (quoted)
          expect(
            s.obs.elements.some((e) => e.text === quoted),
            x.description,
          ).toBe(false);
      }
    }
  });

  it('encodes a screen without the app keys (changing every key changes nothing)', () => {
    const s = screens[5];
    const input = {
      width: s.obs.width,
      height: s.obs.height,
      elements: screenElements(s.obs.elements),
    };
    expect(input.elements.every((e) => !('key' in e))).toBe(true);
    const renamed = s.obs.elements.map((e, i) => ({ ...e, key: `other:${i}` }));
    const a = encodeScreen(vocab, d, GROUNDER_CONFIG.cropSize, input, s.pixels);
    const b = encodeScreen(
      vocab,
      d,
      GROUNDER_CONFIG.cropSize,
      { ...input, elements: screenElements(renamed) },
      s.pixels,
    );
    expect(b).toEqual(a);
    expect(a.n).toBe(s.obs.elements.length);
  });

  it('match features see quoted labels and row context', () => {
    const box = (y: number, x = 0) => ({ x, y, w: 60, h: 12 });
    const el = (
      id: number,
      role: 'listitem' | 'button',
      text: string,
      b: ReturnType<typeof box>,
    ) => ({
      id,
      role,
      text,
      box: b,
      focused: false,
      enabled: true,
      visible: true,
    });
    const screen = {
      width: 160,
      height: 100,
      elements: [
        el(1, 'listitem', 'Invoice 3', box(20)),
        el(2, 'button', 'Delete', box(20, 100)),
        el(3, 'listitem', 'Invoice 4', box(40)),
        el(4, 'button', 'Delete', box(40, 100)),
      ],
    };
    const m = encodeMatch(d, screen, "the Delete button in the row 'Invoice 4'");
    const row = (i: number) => [...m.subarray(i * d.MF, (i + 1) * d.MF)];
    expect(row(1)[2]).toBe(0); // the first Delete's row is 'Invoice 3'
    expect(row(3)[2]).toBe(1);
    expect(row(3)[0]).toBe(1); // 'Delete' is in the description
    expect(row(2)[0]).toBe(1);
  });
});
