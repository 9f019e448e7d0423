// Label marks: how the planner names what it sees without having memorised it. Every prompt
// lists its copyable labels (the shown elements' texts, the instruction's phrases and numbers,
// then the tool results); mark k (<m:k>) stands for label k. The encoder puts mark k on the
// element, instruction span or result it belongs to, so the decoder copies a label by
// attending to it and writing one token (the LM head is the token embedding). Training targets are written with marks wherever a label's tokens occur
// (markLabels), and every forecast is read back with its marks expanded (resolveMarks), so
// the grounder, the rewards and the viewer only ever see plain text: resolveMarks(markLabels(x))
// is x for any ids x.
import type { Vocab } from './vocab';

/** Longest tool result quoted back into a prompt (longer results are cut). */
export const MAX_RESULT_CHARS = 40;

/** A single letter is a heading (contacts' "F"), not a name: it gets no mark. */
const SINGLE_LETTER = /^\p{L}$/u;

/** Letters and digits spelt as single characters. */
const ALNUM_CHAR = /^[\p{L}\p{N}]$/u;

function isAlnumChar(vocab: Vocab, id: number | undefined): boolean {
  if (id === undefined) return false;
  const info = vocab.infos[id];
  return info?.kind === 'char' && ALNUM_CHAR.test(info.text);
}

/**
 * True when tokens a and b are written with nothing between them inside one letter/digit run
 * ("TP" then "668", "16" then "0"): a label may not start or end there. Two words are apart
 * (the decoder puts a space between them).
 */
function glued(vocab: Vocab, a: number | undefined, b: number | undefined): boolean {
  const word = (id: number | undefined) => id !== undefined && vocab.infos[id]?.kind === 'word';
  const charA = isAlnumChar(vocab, a);
  const charB = isAlnumChar(vocab, b);
  return (charA && (charB || word(b))) || (charB && word(a));
}

interface Candidate {
  mark: number;
  ids: number[];
}

/** The labels that can be marked, longest first (then by mark), as token ids. */
function candidates(vocab: Vocab, labels: readonly string[]): Candidate[] {
  const out: Candidate[] = [];
  labels.forEach((text, k) => {
    const mark = vocab.mark(k + 1);
    const label = text.trim();
    if (mark === undefined || label === '' || SINGLE_LETTER.test(label)) return;
    out.push({ mark, ids: vocab.encodeText(text) });
  });
  return out.sort((a, b) => b.ids.length - a.ids.length || a.mark - b.mark);
}

function matchesAt(vocab: Vocab, ids: readonly number[], at: number, c: Candidate): boolean {
  const end = at + c.ids.length;
  if (end > ids.length) return false;
  for (let j = 0; j < c.ids.length; j++) {
    if (ids[at + j] !== c.ids[j] || !vocab.isContent(ids[at + j])) return false;
  }
  // "16" is not a label inside "160" or "TP16": no match that cuts a letter/digit run.
  return !glued(vocab, ids[at - 1], c.ids[0]) && !glued(vocab, c.ids[c.ids.length - 1], ids[end]);
}

/**
 * Forecast ids with every occurrence of a label (inside descriptions and arguments) replaced
 * by its mark, scanning left to right and preferring the longest label. A vocabulary without
 * marks, or a prompt without labels, leaves the ids as they are.
 */
export function markLabels(
  vocab: Vocab,
  ids: readonly number[],
  labels: readonly string[],
): number[] {
  const list = vocab.markCount > 0 ? candidates(vocab, labels) : [];
  if (list.length === 0) return [...ids];
  const out: number[] = [];
  for (let i = 0; i < ids.length;) {
    const hit = vocab.isContent(ids[i]) ? list.find((c) => matchesAt(vocab, ids, i, c)) : undefined;
    if (hit) {
      out.push(hit.mark);
      i += hit.ids.length;
    } else out.push(ids[i++]);
  }
  return out;
}

/**
 * Forecast ids with every mark expanded into the tokens of the label it stands for. A mark
 * past the prompt's labels (or of an empty one) stays as it is: it reads as `<m:k>`, which no
 * element matches, so the step fails like any other wrong description.
 */
export function resolveMarks(
  vocab: Vocab,
  ids: readonly number[],
  labels: readonly string[],
): number[] {
  if (vocab.markCount === 0) return [...ids];
  const out: number[] = [];
  for (const id of ids) {
    const info = vocab.infos[id];
    const label = info?.kind === 'mark' ? labels[info.mark! - 1] : undefined;
    if (label) out.push(...vocab.encodeText(label));
    else out.push(id);
  }
  return out;
}
