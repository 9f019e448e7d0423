// The planner's config validation, the observation encoder (prompt layout, element rows,
// pixel crops, batch packing) and the seeded parameter initialisation.
import { describe, expect, it } from 'vitest';
import { Episode, getTemplate, render, type Element } from '../../src/envs';
import { BOX_FEATURE_NAMES, boxFeatures, cropPixels } from '../../src/envs/element-features';
import { CpuBackend } from '../../src/kernels/cpu';
import { ConfigError, modelDims, preset, PRESETS, validateConfig } from '../../src/rl/model/config';
import { encodePrompt, packBatch } from '../../src/rl/model/encode';
import { Planner } from '../../src/rl/model/planner';
import { Rng } from '../../src/rng';
import { ACTIONABLE_ROLES } from '../../src/envs/relevance';
import { testVocab, worldExamples } from './model-fixtures';

const CONFIG = PRESETS.tiny;

describe('planner config', () => {
  it('accepts every preset and derives the sequence length T = P + F − 1', () => {
    for (const name of Object.keys(PRESETS))
      expect(validateConfig(preset(name))).toEqual(PRESETS[name as 'tiny']);
    const d = modelDims(CONFIG, 100);
    expect(d.T).toBe(CONFIG.promptLen + CONFIG.forecastTokens - 1);
    expect(d.HS * d.NH).toBe(d.C);
    expect(d.CROP).toBe(CONFIG.cropSize ** 2 * 3);
    expect(d.BF).toBe(BOX_FEATURE_NAMES.length);
  });

  it('rejects bad configs with an error naming the field', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...CONFIG, C: 30, NH: 4 }, /C \(30\) must be divisible by NH \(4\)/],
      [{ ...CONFIG, L: 0 }, /L must be an integer ≥ 1, got 0/],
      [{ ...CONFIG, mlpRatio: 1.5 }, /mlpRatio must be an integer/],
      [{ ...CONFIG, horizon: '3' }, /horizon must be an integer ≥ 1, got "3"/],
      [{ ...CONFIG, maxElements: 39 }, /maxElements \(39\) must leave room for BOS and SEP/],
      [{ ...CONFIG, heads: 2 }, /heads is not a config field/],
    ];
    for (const [config, message] of bad) {
      expect(() => validateConfig(config)).toThrow(ConfigError);
      expect(() => validateConfig(config)).toThrow(message);
    }
    const { boxHidden: _, ...missing } = CONFIG;
    expect(() => validateConfig(missing)).toThrow(/boxHidden must be an integer/);
    expect(() => preset('huge')).toThrow(/'huge' is not one of tiny, small, base/);
  });
});

describe('observation encoder', () => {
  const vocab = testVocab();
  const d = modelDims(CONFIG, vocab.size);

  it('lays the prompt out as BOS, elements (with words), instruction, history, padding, SEP', () => {
    const ep = new Episode(getTemplate('settings.wifi'), 3);
    const refs = ep.oracle().steps;
    const obs = ep.step(refs[0].action).obs;
    const p = encodePrompt(vocab, CONFIG, d, {
      obs,
      pixels: render(obs).pixels,
      instruction: ep.instruction,
      executed: [refs[0]],
    });
    const n = Math.min(obs.elements.length, CONFIG.maxElements);
    expect(p.elementCount).toBe(n);
    expect(p.ids.length).toBe(CONFIG.promptLen);
    expect(p.ids[0]).toBe(vocab.bos);
    expect(p.ids[CONFIG.promptLen - 1]).toBe(vocab.sep);
    // Element tokens in reading order, each at its slot, each followed by its words or nothing.
    const byId = new Map(obs.elements.map((el) => [el.id, el]));
    const order = obs.elements.map((el) => el.id);
    expect([...p.shownIds]).toEqual(
      [...p.shownIds].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
    );
    let at = 1;
    p.shownIds.forEach((id, e) => {
      const el = byId.get(id)!;
      expect(p.ids[at]).toBe(vocab.role(el.role));
      expect(p.slots[at]).toBe(e);
      at++;
      const words = vocab.encodeText(el.text).slice(0, CONFIG.elementWords);
      const written = Array.from(p.ids.subarray(at, at + words.length));
      if (written.length > 0 && written.every((w, i) => w === words[i])) at += words.length;
    });
    expect([...p.slots].filter((s) => s >= 0)).toHaveLength(n);
    const instruction = vocab.encodeText(ep.instruction);
    const rest = Array.from(p.ids.subarray(at));
    expect(rest.slice(0, instruction.length)).toEqual(instruction);
    // The history (the executed click, without status) follows the instruction.
    expect(rest[instruction.length]).toBe(vocab.action(refs[0].type));
    expect(rest[rest.length - 1]).toBe(vocab.sep);
  });

  it('gives the most relevant elements their words when the prompt has room', () => {
    const config = { ...PRESETS.tiny, promptLen: 96, maxElements: 40, elementWords: 4 };
    const dd = modelDims(config, vocab.size);
    const ep = new Episode(getTemplate('settings.wifi'), 3);
    const obs = ep.reset();
    const p = encodePrompt(vocab, config, dd, {
      obs,
      pixels: render(obs).pixels,
      instruction: ep.instruction,
      executed: [],
    });
    expect(p.elementCount).toBe(obs.elements.length);
    // Every labelled element is followed by the first words of its label.
    const ids = Array.from(p.ids);
    for (let at = 0; at < ids.length; at++) {
      if (p.slots[at] < 0) continue;
      const el = obs.elements.find((x) => x.id === p.shownIds[p.slots[at]])!;
      const words = vocab.encodeText(el.text).slice(0, 4);
      expect(ids.slice(at + 1, at + 1 + words.length)).toEqual(words);
    }
    // Without words, the same prompt is shorter by exactly those words.
    const none = encodePrompt(vocab, { ...config, elementWords: 0 }, dd, {
      obs,
      pixels: render(obs).pixels,
      instruction: ep.instruction,
      executed: [],
    });
    const used = (q: typeof p) => Array.from(q.ids).filter((id) => id !== vocab.pad).length;
    const words = obs.elements.reduce(
      (s, el) => s + Math.min(4, vocab.encodeText(el.text).length),
      0,
    );
    expect(used(p) - used(none)).toBe(words);
  });

  it('marks the instruction phrases and links each element to the phrase its label contains', () => {
    const config = { ...PRESETS.tiny, promptLen: 96, maxElements: 40, instructionPhrases: 4 };
    const dd = modelDims(config, vocab.size);
    expect(dd.W).toBe(config.elementTextTokens + 2);
    const ep = new Episode(getTemplate('mail.delete'), 11);
    const obs = ep.step(ep.oracle().steps[0].action).obs; // the inbox
    const input = { obs, pixels: render(obs).pixels, instruction: ep.instruction, executed: [] };
    const p = encodePrompt(vocab, config, dd, input);
    // "Delete the email from <m> Grace about '<m> Invoice 71'": the phrases, in order, after the
    // element labels; the number inside the quote gets no mark of its own.
    const [, sender, subject] = /from (\w+) about '([^']+)'/.exec(ep.instruction)!;
    expect(p.labels.slice(p.elementCount)).toEqual([sender, subject]);
    const ids = Array.from(p.ids);
    for (const [k, phrase] of [sender, subject].entries()) {
      const mark = vocab.mark(p.elementCount + k + 1)!;
      const at = ids.indexOf(mark);
      expect(ids.slice(at + 1, at + 1 + vocab.encodeText(phrase).length)).toEqual(
        vocab.encodeText(phrase),
      );
    }
    // The target row carries its own mark and the subject's; a row naming neither, no link.
    const W = dd.W;
    const linkOf = (e: number) => p.elements.textIds[e * W + W - 1];
    const target = p.labels.findIndex((l) => l === `${sender}: ${subject}`);
    expect(target).toBeGreaterThanOrEqual(0);
    expect(p.elements.textIds[target * W + W - 2]).toBe(vocab.mark(target + 1));
    expect(linkOf(target)).toBe(vocab.mark(p.elementCount + 2));
    expect(p.elements.textWeights[target * W + W - 1]).toBe(1);
    const other = p.labels.findIndex(
      (l, e) =>
        e < p.elementCount && l.includes(':') && !l.includes(sender) && !l.includes(subject),
    );
    expect(other).toBeGreaterThanOrEqual(0);
    expect(linkOf(other)).toBe(vocab.pad);
    // Without phrases the prompt is the numbers-only one, and no row has a link column.
    const plain = { ...config, instructionPhrases: 0 };
    const none = encodePrompt(vocab, plain, modelDims(plain, vocab.size), input);
    expect(none.labels.slice(none.elementCount)).toEqual(subject.match(/\d+/g) ?? []);
  });

  it('drops the least relevant elements first: static text before anything a step can act on', () => {
    const config = { ...PRESETS.tiny, maxElements: 6 };
    const dd = modelDims(config, vocab.size);
    const ep = new Episode(getTemplate('contacts.edit-phone'), 3);
    const refs = ep.oracle().steps;
    const obs = ep.step(refs[0].action).obs; // the contact list: letters, names, search, New
    const p = encodePrompt(vocab, config, dd, {
      obs,
      pixels: render(obs).pixels,
      instruction: ep.instruction,
      executed: [refs[0]],
    });
    expect(p.elementCount).toBe(6);
    const shown = p.shownIds.map((id) => obs.elements.find((el) => el.id === id)!);
    expect(shown.every((el) => ACTIONABLE_ROLES.has(el.role))).toBe(true);
    // The contact the instruction names is kept (it shares a word with it).
    expect(shown.map((el) => el.text)).toContain('Hana Novak');
    // Reading order is kept among the survivors.
    const order = shown.map((el) => obs.elements.indexOf(el));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('element rows: text mean weights, box and state features, pixel crops', () => {
    const [ex] = worldExamples(CONFIG, 1);
    const { W, BF, CROP } = d;
    const rows = ex.prompt.elements;
    for (let e = 0; e < CONFIG.maxElements; e++) {
      // W − 1 text columns that average to the text's embedding, then the element's mark.
      const w = Array.from(rows.textWeights.subarray(e * W, (e + 1) * W - 1));
      const total = w.reduce((s, x) => s + x, 0);
      if (e < ex.prompt.elementCount && w.some((x) => x > 0)) expect(total).toBeCloseTo(1, 6);
      const markAt = e * W + W - 1;
      const shown = e < ex.prompt.elementCount;
      expect(rows.textWeights[markAt]).toBe(shown ? 1 : 0);
      if (shown) expect(rows.textIds[markAt]).toBe(vocab.mark(e + 1));
      if (e >= ex.prompt.elementCount) {
        expect(total).toBe(0);
        expect(rows.box.subarray(e * BF, (e + 1) * BF).every((x) => x === 0)).toBe(true);
        expect(rows.crop.subarray(e * CROP, (e + 1) * CROP).every((x) => x === 0)).toBe(true);
      }
    }
    const el: Element = {
      id: 1,
      role: 'toggle',
      text: 'Wi-Fi',
      box: { x: 16, y: 64, w: 32, h: 16 },
      checked: true,
      focused: false,
      enabled: true,
      visible: true,
      key: 'k',
    };
    expect(boxFeatures(el, 160, 256)).toEqual([0.1, 0.25, 0.2, 0.0625, 1, 1, 0, 1, 1, 0]);
    expect(boxFeatures({ ...el, checked: undefined, value: 'hi' }, 160, 256).slice(4)).toEqual([
      0, 0, 0, 1, 1, 1,
    ]);
  });

  it('crops average the box pixels, cell by cell', () => {
    // A 4×2 image: left half red, right half blue; crop 2×2 of the whole image.
    const W = 4;
    const H = 2;
    const pixels = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) pixels.set(x < 2 ? [255, 0, 0] : [0, 0, 255], (y * W + x) * 3);
    }
    const out = new Float32Array(2 * 2 * 3);
    cropPixels(pixels, W, H, { x: 0, y: 0, w: 4, h: 2 }, 2, out);
    expect(Array.from(out)).toEqual([1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1]);
    // A cell straddling both halves averages them.
    cropPixels(pixels, W, H, { x: 1, y: 0, w: 2, h: 2 }, 1, out.subarray(0, 3));
    expect(Array.from(out.subarray(0, 3))).toEqual([0.5, 0, 0.5]);
  });

  it('is deterministic, and the pixels matter', () => {
    const a = worldExamples(CONFIG, 2);
    const b = worldExamples(CONFIG, 2);
    expect(a).toEqual(b);
    const ep = new Episode(getTemplate('settings.wifi'), 0);
    const obs = ep.reset();
    const pixels = render(obs).pixels;
    const input = { obs, pixels, instruction: ep.instruction, executed: [] };
    const base = encodePrompt(vocab, CONFIG, d, input);
    const dark = encodePrompt(vocab, CONFIG, d, { ...input, pixels: pixels.map((x) => x >> 1) });
    expect(dark.ids).toEqual(base.ids);
    expect(dark.elements.crop).not.toEqual(base.elements.crop);
  });

  it('packs a batch: shifted forecast targets, element slots, valid-target count', () => {
    const examples = worldExamples(CONFIG, 2);
    const batch = packBatch(d, vocab, examples);
    const { P, T, E } = d;
    expect(batch.validTargets).toBe(
      examples.reduce((s, e) => s + Math.min(e.forecast.length, d.F), 0),
    );
    examples.forEach((ex, b) => {
      const row = b * T;
      expect(Array.from(batch.targets.subarray(row, row + P - 1)).every((t) => t === -1)).toBe(
        true,
      );
      ex.forecast.forEach((id, j) => {
        expect(batch.targets[row + P - 1 + j]).toBe(id);
        if (P + j < T) expect(batch.tokens[row + P + j]).toBe(id);
      });
      expect(batch.targets[row + P - 1 + ex.forecast.length]).toBe(-1);
      ex.prompt.slots.forEach((s, t) =>
        expect(batch.slots[row + t]).toBe(s >= 0 ? b * E + s : 2 * E),
      );
    });
  });
});

describe('parameter initialisation', () => {
  it('is fixed by the seed, with GPT-2 scales', async () => {
    const be = new CpuBackend();
    const make = async (seed: number) => {
      const p = new Planner(be, CONFIG, testVocab().size, 1);
      p.init(new Rng(seed));
      return p.readRegion('params');
    };
    const a = await make(1);
    const b = await make(1);
    const c = await make(2);
    expect(a).toEqual(b);
    expect(a.get('wte')).not.toEqual(c.get('wte'));
    const std = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    expect(std(a.get('wte')!)).toBeCloseTo(0.02, 2);
    expect(std(a.get('layers.0.attprojw')!)).toBeCloseTo(0.02 / Math.sqrt(2 * CONFIG.L), 2);
    expect(a.get('layers.1.ln2w')!.every((x) => x === 1)).toBe(true);
    expect(a.get('layers.1.qkvb')!.every((x) => x === 0)).toBe(true);
  });
});
