// The phrases of an instruction a planner may have to copy: quoted text ('Invoice 71'),
// e-mail addresses and names (capitalised word runs, the word that opens a sentence left
// out). Typed text, note titles and contact names come from them, and so do most list items a
// task clicks on, so the encoder gives each its own mark (src/rl/model/encode.ts) and the
// decoder copies a whole phrase by writing one token.

/** A phrase and where it sits in the instruction. */
export interface Phrase {
  text: string;
  start: number;
  end: number;
}

/** A quote opens after a space or bracket (not in "Lee's") and closes before a non-letter. */
const QUOTED = /(?<=^|[\s(])'([^']+?)'(?![\p{L}\p{N}])/gu;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** Runs of capitalised words ("Noah Brooks", "Wi-Fi", "TrainCo"). */
const NAME_RUN = /\p{Lu}[\p{L}\p{N}-]*(?: \p{Lu}[\p{L}\p{N}-]*)*/gu;
/** Where a sentence starts: its first word is capitalised by grammar, not because it names. */
const SENTENCE_START = /(?:^|[.?!;:]\s+)$/;

/**
 * The first `max` copyable phrases of `text`, in reading order, none overlapping: quoted text
 * first, then e-mail addresses, then names outside both.
 */
export function instructionPhrases(text: string, max: number): Phrase[] {
  const found: Phrase[] = [];
  const free = (start: number, end: number) => found.every((p) => end <= p.start || start >= p.end);
  const add = (phrase: string, start: number) => {
    const end = start + phrase.length;
    if (phrase.trim() !== '' && free(start, end)) found.push({ text: phrase, start, end });
  };
  for (const m of text.matchAll(QUOTED)) add(m[1], m.index + 1);
  for (const m of text.matchAll(EMAIL)) add(m[0], m.index);
  for (const m of text.matchAll(NAME_RUN)) {
    let [phrase, start] = [m[0], m.index];
    if (SENTENCE_START.test(text.slice(0, start))) {
      const space = phrase.indexOf(' ');
      if (space < 0) continue;
      [phrase, start] = [phrase.slice(space + 1), start + space + 1];
    }
    add(phrase, start);
  }
  return found.sort((a, b) => a.start - b.start).slice(0, Math.max(0, max));
}

/** The index of the longest phrase an element's label contains as whole words, else −1. */
export function linkedPhrase(label: string, phrases: readonly { text: string }[]): number {
  let best = -1;
  phrases.forEach((p, i) => {
    const at = label.indexOf(p.text);
    if (at < 0) return;
    const before = label[at - 1];
    const after = label[at + p.text.length];
    const boundary = (ch: string | undefined) => ch === undefined || !/[\p{L}\p{N}]/u.test(ch);
    if (!boundary(before) || !boundary(after)) return;
    if (best < 0 || p.text.length > phrases[best].text.length) best = i;
  });
  return best;
}
