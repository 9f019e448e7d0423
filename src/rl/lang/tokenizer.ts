// The tokenizer between the action language's text form and token ids.
import { isStatus, isStepType } from '../../text/grammar';
import type { Vocab } from '../../text/vocab';
import { escapeArg, escapeTarget } from './plan-step';

/** Content up to the unescaped `close` character; `end` is past it, or -1 if it never came. */
function readContent(text: string, from: number, close: string): { content: string; end: number } {
  let content = '';
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      content += text[++i];
      continue;
    }
    if (ch === close) return { content, end: i + 1 };
    content += ch;
  }
  return { content, end: -1 };
}

const SPECIAL_TEXT = /^<(pad|bos|sep|eos|unk)>/;

/**
 * Token ids of a forecast text (no <eos> added). Exact inverse of idsToText for everything the
 * writer produces; any other text still tokenizes (bare words become content tokens).
 */
export function textToIds(vocab: Vocab, text: string): number[] {
  const ids: number[] = [];
  let expectType = true;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '[' || ch === '"') {
      const isTarget = ch === '[';
      ids.push(vocab.symbol(isTarget ? 'open' : 'quote'));
      const { content, end } = readContent(text, i + 1, isTarget ? ']' : '"');
      ids.push(...vocab.encodeText(content));
      if (end >= 0) ids.push(vocab.symbol(isTarget ? 'close' : 'quote'));
      i = end >= 0 ? end : text.length;
      expectType = false;
      continue;
    }
    if (ch === '|' || ch === ']') {
      ids.push(vocab.symbol(ch === '|' ? 'sep' : 'close'));
      expectType = ch === '|';
      i++;
      continue;
    }
    const special = SPECIAL_TEXT.exec(text.slice(i));
    if (special) {
      ids.push(vocab.special(special[1] as 'pad'));
      i += special[0].length;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s[\]"|]/.test(text[j])) j++;
    const word = text.slice(i, j);
    i = j;
    const typeId = isStepType(word) ? vocab.stepType(word) : undefined;
    if (typeId !== undefined && (expectType || !isStatus(word))) ids.push(typeId);
    else if (isStatus(word)) ids.push(vocab.status(word));
    else ids.push(...vocab.encodeText(word));
    expectType = false;
  }
  return ids;
}

/** Text of forecast ids, up to the first <eos>. */
export function idsToText(vocab: Vocab, ids: readonly number[]): string {
  const parts: string[] = [];
  const open = vocab.symbol('open');
  const close = vocab.symbol('close');
  const quote = vocab.symbol('quote');
  const sep = vocab.symbol('sep');
  const contentRun = (from: number): number => {
    let j = from;
    while (j < ids.length && vocab.isContent(ids[j])) j++;
    return j;
  };
  let i = 0;
  while (i < ids.length && ids[i] !== vocab.eos) {
    const id = ids[i];
    if (id === open || id === quote) {
      const j = contentRun(i + 1);
      const content = vocab.decodeText(ids.slice(i + 1, j));
      const closer = id === open ? close : quote;
      const closed = j < ids.length && ids[j] === closer;
      parts.push(
        id === open
          ? `[${escapeTarget(content)}${closed ? ']' : ''}`
          : `"${escapeArg(content)}${closed ? '"' : ''}`,
      );
      i = closed ? j + 1 : j;
    } else if (id === sep) {
      parts.push('|');
      i++;
    } else if (vocab.isContent(id)) {
      const j = contentRun(i);
      parts.push(vocab.decodeText(ids.slice(i, j)));
      i = j;
    } else {
      // Keywords and a stray ']' as written; specials and roles as their keys.
      const info = vocab.infos[id];
      const plain = info && ['action', 'status', 'symbol'].includes(info.kind);
      parts.push(plain ? info.text : vocab.tokenText(id));
      i++;
    }
  }
  return parts.join(' ');
}
