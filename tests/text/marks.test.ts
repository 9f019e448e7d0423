import { describe, expect, it } from 'vitest';
import { loadVocabFile } from '../../src/rl/data/vocab-node';
import { PromptSource } from '../../src/rl/data/prompts';
import { plannerConfigOf, validateSettings } from '../../src/rl/config/schema';
import { streamRng } from '../../src/rl/data/streams';
import { forecastOf } from '../../src/rl/agent/forecaster';
import { markLabels, resolveMarks } from '../../src/text/marks';
import { MAX_MARKS, Vocab } from '../../src/text/vocab';

const vocab = loadVocabFile();
const text = (ids: readonly number[]) => vocab.decodeText(ids);
const marksIn = (ids: readonly number[]) =>
  ids.filter((id) => vocab.infos[id].kind === 'mark').map((id) => vocab.infos[id].mark);

describe('label marks', () => {
  it('the shipped vocabulary appends MAX_MARKS marks after every other token', () => {
    expect(vocab.markCount).toBe(MAX_MARKS);
    expect(vocab.mark(1)).toBe(vocab.size - MAX_MARKS);
    expect(vocab.tokens.at(-1)).toBe(`<m:${MAX_MARKS}>`);
    expect(vocab.isContent(vocab.mark(7)!)).toBe(true);
  });

  it('writes a label as its mark and reads it back exactly', () => {
    const labels = ['Inbox', 'Bob: Contract 16', 'Star'];
    const ids = vocab.encodeText("the item 'Bob: Contract 16'");
    const marked = markLabels(vocab, ids, labels);
    expect(marksIn(marked)).toEqual([2]);
    expect(marked.length).toBe(vocab.encodeText("the item ''").length + 1);
    expect(text(resolveMarks(vocab, marked, labels))).toBe("the item 'Bob: Contract 16'");
  });

  it('prefers the longest label and never cuts a number or a one-letter heading', () => {
    const labels = ['16', 'Contract 16', 'F'];
    const marked = markLabels(vocab, vocab.encodeText('Contract 16 and 160 for F'), labels);
    // "Contract 16" as a whole; "16" inside "160" stays digits; "F" is too short for a mark.
    expect(marksIn(marked)).toEqual([2]);
    expect(text(resolveMarks(vocab, marked, labels))).toBe('Contract 16 and 160 for F');
  });

  it('marks numbers of the instruction, never one glued to letters', () => {
    const labels = ['668', '38'];
    const ids = vocab.encodeText("the row 'TP668Q6' and 38");
    const marked = markLabels(vocab, ids, labels);
    expect(marksIn(marked)).toEqual([2]);
    expect(text(resolveMarks(vocab, marked, labels))).toBe("the row 'TP668Q6' and 38");
  });

  it('leaves ids alone without labels or without marks in the vocabulary', () => {
    const ids = vocab.encodeText("the item 'Notes'");
    expect(markLabels(vocab, ids, [])).toEqual(ids);
    const old = new Vocab(vocab.tokens.filter((t) => !t.startsWith('<m:')));
    const oldIds = old.encodeText("the item 'Notes'");
    expect(markLabels(old, oldIds, ['Notes'])).toEqual(oldIds);
  });

  it('a mark past the labels stays a mark, so no element matches it', () => {
    const ids = [vocab.mark(9)!];
    expect(resolveMarks(vocab, ids, ['Inbox'])).toEqual(ids);
    expect(text(ids)).toBe('<m:9>');
  });

  it('training targets carry marks and every one reads back as the plain reference', () => {
    const settings = validateSettings({
      preset: 'quick-demo',
      data: { suites: ['mobile-online', 'web-offline', 'tools', 'tools-multihop'] },
    });
    const source = new PromptSource(settings.data, vocab, plannerConfigOf(settings));
    const prompts = source.sample(streamRng(1, 0, 1, 'data'), 120);
    let marked = 0;
    let toolAnswers = 0;
    for (const p of prompts) {
      const ids = p.target.ids;
      if (marksIn(ids).length > 0) marked++;
      const H = plannerConfigOf(settings).horizon;
      const forecast = forecastOf(vocab, [...ids], H, H, p.encoded.labels);
      expect(forecast.text).toBe(p.target.text);
      expect(forecast.ids).toEqual(ids);
      // Every mark names a label the prompt holds.
      for (const k of marksIn(ids)) expect(p.encoded.labels[k! - 1]?.length).toBeGreaterThan(0);
      const answer = p.tool ? p.target.steps.find((s) => s.type === 'answer') : undefined;
      if (answer && p.t === p.tool!.task.chain.length) {
        // The gold answer is the last result: the target names it by the result's mark.
        expect(marksIn(ids)).toContain(p.encoded.labels.length);
        toolAnswers++;
      }
    }
    expect(marked).toBeGreaterThan(prompts.length / 3);
    expect(toolAnswers).toBeGreaterThan(0);
  });
});
