// The instruction phrases the planner copies by a mark, and the element each one links to.
import { describe, expect, it } from 'vitest';
import { instructionPhrases, linkedPhrase } from '../../src/text/phrases';

const texts = (instruction: string, max = 8) =>
  instructionPhrases(instruction, max).map((p) => p.text);

describe('instruction phrases', () => {
  it('finds quoted text, e-mail addresses and names, in reading order', () => {
    expect(texts("Send an email to grace@mail.com with the subject 'Receipt 19'.")).toEqual([
      'grace@mail.com',
      'Receipt 19',
    ]);
    expect(texts("Delete the email from Grace about 'Invoice 71'.")).toEqual([
      'Grace',
      'Invoice 71',
    ]);
    expect(texts('Turn off notifications from Translate.')).toEqual(['Translate']);
  });

  it('leaves out the word that opens a sentence, but not the name after it', () => {
    expect(texts('Mark Victor Brooks as a favourite.')).toEqual(['Victor Brooks']);
    expect(texts('Turn Wi-Fi off.')).toEqual(['Wi-Fi']);
    expect(texts('What is the code from TrainCo? Answer with the code.')).toEqual(['TrainCo']);
    expect(texts('Delete the note.')).toEqual([]);
  });

  it("reads a possessive as part of no quote: Chen Lee's is the name Chen Lee", () => {
    expect(texts("Save 555-1616 as Chen Lee's phone number; add Chen if missing.")).toEqual([
      'Chen Lee',
      'Chen',
    ]);
    expect(texts("Reply 'On my way' to Grace's email.")).toEqual(['On my way', 'Grace']);
  });

  it('never overlaps: a capitalised word inside a quote belongs to the quote', () => {
    const found = instructionPhrases("Rename 'Team Notes' in Photos to 'visa.pdf'.", 8);
    expect(found.map((p) => p.text)).toEqual(['Team Notes', 'Photos', 'visa.pdf']);
    const text = "Rename 'Team Notes' in Photos to 'visa.pdf'.";
    for (const p of found) expect(text.slice(p.start, p.end)).toBe(p.text);
  });

  it('keeps the first max phrases, and none for 0', () => {
    const instruction = "Move 'a.txt' and 'b.txt' from Downloads to Archive.";
    expect(texts(instruction, 2)).toEqual(['a.txt', 'b.txt']);
    expect(texts(instruction, 0)).toEqual([]);
  });
});

describe('linked phrase', () => {
  const phrases = instructionPhrases("Delete the email from Grace about 'Invoice 71'.", 8);

  it('is the longest phrase the label contains as whole words', () => {
    expect(phrases[linkedPhrase('Grace: Invoice 71', phrases)].text).toBe('Invoice 71');
    expect(phrases[linkedPhrase('Grace: Lunch', phrases)].text).toBe('Grace');
  });

  it('is none (−1) for a label without one, or with it inside a longer word', () => {
    expect(linkedPhrase('Bob: Invoice 7', phrases)).toBe(-1);
    expect(linkedPhrase('Graceful: Invoice 712', phrases)).toBe(-1);
    expect(linkedPhrase('', phrases)).toBe(-1);
  });
});
