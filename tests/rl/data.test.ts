// Training prompts: deterministic for a seed, drawn from the start and the middle of oracle
// episodes, with the oracle's next H steps from that very state as the target.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Episode, getTemplate } from '../../src/envs';
import { SEED_RANGES } from '../../src/envs/suites';
import { plannerConfigOf } from '../../src/rl/config';
import {
  DEFAULT_VOCAB_PATH,
  parseVocab,
  PromptSource,
  streamRng,
  vocabFileText,
  type Prompt,
} from '../../src/rl/data';
import { writeForecast } from '../../src/rl/lang';
import { markLabels, resolveMarks } from '../../src/text/marks';
import { Rng } from '../../src/rng';
import { frozenVocab, tinySettings } from './train-fixtures';

function source(overrides: Record<string, unknown> = {}) {
  const s = tinySettings(overrides);
  return new PromptSource(s.data, frozenVocab(), plannerConfigOf(s));
}

const identity = (p: Prompt) => ({
  template: p.template,
  seed: p.seed,
  t: p.t,
  perturb: p.perturbName,
  ids: [...p.encoded.ids],
  crop: [...p.encoded.elements.crop.slice(0, 64)],
  target: p.target.text,
});

describe('prompt source', () => {
  it('gives the same prompts for the same stream, other prompts for another', () => {
    const a = source()
      .sample(streamRng(1, 0, 5, 'data'), 12)
      .map(identity);
    const b = source()
      .sample(streamRng(1, 0, 5, 'data'), 12)
      .map(identity);
    const c = source()
      .sample(streamRng(2, 0, 5, 'data'), 12)
      .map(identity);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    for (const p of a) expect(p.seed).toBeLessThan(SEED_RANGES.train[1]);
  });

  it('draws from the middle of episodes, and only from starts when midEpisode is off', () => {
    const mid = source().sample(new Rng(3), 40);
    const middles = mid.filter((p) => p.t > 0);
    expect(middles.length).toBeGreaterThan(10);
    for (const p of middles) expect(p.executed.length).toBe(p.t);
    const starts = source({ data: { midEpisode: false } }).sample(new Rng(3), 20);
    expect(starts.every((p) => p.t === 0 && p.executed.length === 0)).toBe(true);
  });

  it("targets are the oracle's next H steps from the prompt's own state", () => {
    const vocab = frozenVocab();
    const H = plannerConfigOf(tinySettings()).horizon;
    const prompts = source().sample(new Rng(11), 16);
    expect(prompts.some((p) => p.t > 0)).toBe(true);
    for (const p of prompts) {
      // Replay the episode to step t, then ask the oracle from there.
      const ep = new Episode(getTemplate(p.template), p.seed, { perturb: p.perturb });
      let obs = ep.reset();
      for (const step of p.executed) obs = ep.step(step.action).obs;
      expect(obs).toEqual(p.obs);
      const solved = ep.oracle();
      expect(solved.ok).toBe(true);
      const expected = writeForecast(vocab, solved.steps, H);
      // The target names the prompt's labels by their marks; expanded, it is the oracle's.
      expect(p.target.ids).toEqual(markLabels(vocab, expected.ids, p.encoded.labels));
      expect(resolveMarks(vocab, p.target.ids, p.encoded.labels)).toEqual(expected.ids);
      expect(p.target.text).toBe(expected.text);
      expect(p.target.steps.length).toBeLessThanOrEqual(H);
      expect(p.next.map((s) => s.instruction)).toEqual(
        solved.steps.slice(0, H).map((s) => s.instruction),
      );
      expect(ep.instruction).toBe(p.instruction);
    }
  });

  it('held-out prompts are fixed and come from the held-out-params seeds', () => {
    const a = source().heldOut(10);
    const b = source({ run: { seed: 99 } }).heldOut(10);
    expect(b.map(identity)).toEqual(a.map(identity));
    const [lo, hi] = SEED_RANGES['held-out-params'];
    for (const p of a) {
      expect(p.split).toBe('held-out-params');
      expect(p.seed >= lo && p.seed < hi).toBe(true);
    }
  });
});

describe('frozen vocabulary', () => {
  it('loads the shipped file, which states its own fingerprint', () => {
    const vocab = frozenVocab();
    const text = readFileSync(DEFAULT_VOCAB_PATH, 'utf8');
    expect(JSON.parse(text).fingerprint).toBe(vocab.fingerprint());
    expect(vocabFileText(vocab)).toBe(text);
    const tampered = text.replace(/"fingerprint": "[^"]*"/, '"fingerprint": "v1-0-0"');
    expect(() => parseVocab(tampered)).toThrow(/does not match its tokens/);
  });

  it('stays valid for words it has never seen (characters and bytes)', () => {
    const vocab = frozenVocab();
    const text = 'Zyxquorbl the Ünïcødé 🚀 field';
    const ids = vocab.encodeText(text);
    expect(ids).not.toContain(vocab.unk);
    expect(vocab.decodeText(ids)).toBe(text);
  });
});
