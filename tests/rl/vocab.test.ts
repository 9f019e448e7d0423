import { beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../src/envs';
import { buildVocab, collectWorldTexts } from '../../src/rl/lang/build-vocab';
import { Vocab, vocabFingerprint, vocabFrom, VOCAB_FORMAT } from '../../src/text/vocab';
import { ACTION_TYPES } from '../../src/text/grammar';

let vocab: Vocab;
let buildMs: number;

beforeAll(() => {
  const t0 = performance.now();
  vocab = buildVocab();
  buildMs = performance.now() - t0;
});

describe('building the vocabulary from the world', () => {
  // Work, not seconds: a loaded machine stretches the time (printed), not the texts read
  // (45,294 with 67 templates when this bound was set).
  it('reads a bounded amount of the world', () => {
    console.log(`buildVocab: ${Math.round(buildMs)} ms`);
    expect(collectWorldTexts().length).toBeLessThan(100_000);
  });

  it('is deterministic and independent of template order', () => {
    // A second build, from the templates in reverse order, gives the same tokens.
    const reversed = buildVocab({ templates: [...TEMPLATES.values()].reverse() });
    expect(reversed.tokens).toEqual(vocab.tokens);
    expect(reversed.fingerprint()).toBe(vocab.fingerprint());
  });

  it('has the special tokens first, in a fixed order', () => {
    expect([vocab.pad, vocab.bos, vocab.sep, vocab.eos, vocab.unk]).toEqual([0, 1, 2, 3, 4]);
    expect(vocab.tokens.slice(0, 5)).toEqual(['<pad>', '<bos>', '<sep>', '<eos>', '<unk>']);
  });

  it('holds words of instructions, element texts, descriptions and app names', () => {
    for (const w of ['Turn', 'Network', 'Wi', 'Fi', 'toggle', 'item', 'settings', 'Settings'])
      expect(vocab.word(w), w).toBeDefined();
    // Every letter run of every world text is one word token.
    const texts = collectWorldTexts({ instructionSeeds: 4, episodeSeeds: 2 });
    for (const t of texts) {
      for (const run of t.match(/\p{L}[\p{L}\p{M}]*/gu) ?? [])
        expect(vocab.word(run), `${run} in ${JSON.stringify(t)}`).toBeDefined();
    }
  });

  it('keeps action-language keywords apart from content words', () => {
    const actionIds = new Set(ACTION_TYPES.map((a) => vocab.action(a)));
    expect(actionIds.size).toBe(ACTION_TYPES.length);
    expect(vocab.status('done')).not.toBe(vocab.action('done'));
    // "back" is a word of the world ("turn Wi-Fi back on") and also an action.
    expect(vocab.word('back')).toBeDefined();
    expect(vocab.word('back')).not.toBe(vocab.action('back'));
    expect(vocab.info(vocab.action('back')).kind).toBe('action');
    expect(vocab.info(vocab.role('textfield'))).toEqual({ kind: 'role', text: 'textfield' });
  });
});

describe('content text encoding', () => {
  const samples = [
    '',
    ' ',
    'Kitchen phone',
    "the item 'Network'",
    'Set the brightness to 70%.',
    'a b  c   d',
    ' leading and trailing ',
    'Zyxqv unknownword Network',
    'tabs\tand\nnewlines',
    'Crème brûlée, naïve café',
    '日本語 😀 ok',
    'quotes "inside" and [brackets] | pipes \\ backslash',
  ];

  it('round-trips every string exactly', () => {
    for (const s of samples)
      expect(vocab.decodeText(vocab.encodeText(s)), JSON.stringify(s)).toBe(s);
    for (const t of collectWorldTexts({ instructionSeeds: 8, episodeSeeds: 2 }))
      expect(vocab.decodeText(vocab.encodeText(t))).toBe(t);
  });

  it('never needs <unk>', () => {
    for (const s of samples) expect(vocab.encodeText(s)).not.toContain(vocab.unk);
  });

  it('writes known words as one token with the space between them implied', () => {
    const ids = vocab.encodeText('Kitchen phone');
    expect(ids.map((i) => vocab.tokenText(i))).toEqual(['Kitchen', 'phone']);
    const two = vocab.encodeText('Kitchen  phone');
    expect(two.map((i) => vocab.tokenText(i))).toEqual(['Kitchen', ' ', ' ', 'phone']);
  });

  it('spells numbers digit by digit and unknown words letter by letter', () => {
    expect(vocab.encodeText('70').map((i) => vocab.info(i))).toEqual([
      { kind: 'char', text: '7' },
      { kind: 'char', text: '0' },
    ]);
    expect(vocab.tokens.some((t) => /\d/.test(t) && !t.startsWith('<'))).toBe(false);
    const ids = vocab.encodeText('Zyxqv');
    expect(ids.map((i) => vocab.info(i).kind)).toEqual(['char', 'char', 'char', 'char', 'char']);
  });

  it('falls back to UTF-8 bytes for characters the world never shows', () => {
    const ids = vocab.encodeText('😀');
    expect(ids.map((i) => vocab.info(i).kind)).toEqual(['byte', 'byte', 'byte', 'byte']);
    expect(vocab.decodeText(ids)).toBe('😀');
    // A lone continuation byte decodes to U+FFFD rather than throwing.
    expect(vocab.decodeText([ids[1]])).toBe('\uFFFD');
  });
});

describe('serialisation', () => {
  it('round-trips through JSON with the same fingerprint and encoding', () => {
    const json = JSON.parse(JSON.stringify(vocab.toJSON()));
    expect(json.format).toBe(VOCAB_FORMAT);
    const back = Vocab.fromJSON(json);
    expect(back.tokens).toEqual(vocab.tokens);
    expect(back.fingerprint()).toBe(vocab.fingerprint());
    expect(vocabFingerprint(json)).toBe(vocab.fingerprint());
    const s = "click the item 'Network' 42 日本";
    expect(back.encodeText(s)).toEqual(vocab.encodeText(s));
    expect(() => back.assertSame(vocab)).not.toThrow();
  });

  it('gives a different fingerprint for a different vocabulary, and says so on load', () => {
    const small = vocabFrom([], ['Network']);
    const other = vocabFrom([], ['Network', 'Wifi']);
    expect(small.fingerprint()).not.toBe(other.fingerprint());
    expect(small.fingerprint()).toMatch(/^v1-\d+-[0-9a-f]{16}$/);
    expect(() => small.assertSame(other.toJSON())).toThrow(/vocab mismatch: checkpoint has v1-/);
  });

  it('refuses malformed vocabularies with a clear message', () => {
    const tokens = [...vocab.tokens];
    expect(() => Vocab.fromJSON({ format: 'other', tokens })).toThrow(/format/);
    expect(() => Vocab.fromJSON({ format: VOCAB_FORMAT, tokens: [...tokens, 'Network'] })).toThrow(
      /duplicate token "Network"/,
    );
    expect(() => Vocab.fromJSON({ format: VOCAB_FORMAT, tokens: tokens.slice(1) })).toThrow(
      /missing required token <pad>/,
    );
    expect(() => Vocab.fromJSON({ format: VOCAB_FORMAT, tokens: [...tokens, '<what>'] })).toThrow(
      /unknown token key/,
    );
    expect(() =>
      Vocab.fromJSON({ format: VOCAB_FORMAT, tokens: [...tokens, 'two words'] }),
    ).toThrow(/malformed token key/);
    expect(() => Vocab.fromJSON(null)).toThrow(/not an object/);
  });

  it('keeps single-letter words and single characters apart', () => {
    const v = vocabFrom([], ['a', 'I']);
    const ids = v.encodeText('a a');
    expect(ids.map((i) => v.info(i).kind)).toEqual(['word', 'word']);
    expect(v.lookup('<c:a>')).not.toBe(v.lookup('a'));
    expect(Vocab.fromJSON(v.toJSON()).tokens).toEqual(v.tokens);
  });
});
