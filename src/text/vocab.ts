// The planner's vocabulary: one id per token, in a fixed order, saved inside every checkpoint.
//
// Token kinds, in id order:
//   special  <pad> <bos> <sep> (end of prompt) <eos> (end of forecast) <unk>
//   role     <role:button> …  one per UI role, for the observation encoder
//   action   <act:click> …    the action-language types (grammar.ts)
//   status   <st:more> <st:done>
//   symbol   <[> <]> <"> <|>  the action-language delimiters
//   char     <c:a> …          printable ASCII plus every other character seen in the world
//   byte     <0x80> …         UTF-8 bytes of anything else, so every string can be written
//   word     Network …        letter runs seen in the world (case kept, so text is exact)
//   mark     <m:1> … <m:64>   "the k-th copyable label of this prompt" (marks.ts); last, so a
//                             vocabulary with marks extends the same one without them
//
// Content text (descriptions, typed text, answers, instructions) is cut into letter runs and
// single characters. A run that is a word becomes one token; anything else goes character by
// character (bytes as a last resort). One space between two word tokens is implied, so
// "Kitchen phone" is two tokens, while every other space is written as <c: >. Digits are
// never words: numbers are spelled digit by digit, so every number is written the same way.
// Decoding inserts a space between consecutive word tokens and nothing else, so
// decode(encode(s)) === s for every string.
import { hashString } from '../rng';
import type { ActionType, Role } from '../envs/types';
import {
  ACTION_TYPES,
  STATUSES,
  STEP_TYPES,
  SYMBOLS,
  type Status,
  type StepType,
  type SymbolName,
} from './grammar';

export const VOCAB_FORMAT = 'tracelab-vocab/1';

export const SPECIALS = ['pad', 'bos', 'sep', 'eos', 'unk'] as const;
export type Special = (typeof SPECIALS)[number];

export const ROLES = [
  'button',
  'toggle',
  'text',
  'textfield',
  'listitem',
  'menu',
  'menuitem',
  'tab',
  'dialog',
  'slider',
  'icon',
  'checkbox',
  'image',
  'link',
  'window',
  'panel',
] as const satisfies readonly Role[];
// Compile-time check that ROLES lists every Role: adding a role to the world breaks this line.
const _allRoles: Record<Exclude<Role, (typeof ROLES)[number]>, never> = {};
void _allRoles;

export type TokenKind =
  'special' | 'role' | 'action' | 'status' | 'symbol' | 'char' | 'byte' | 'word' | 'mark';

/** Mark tokens in a vocabulary: one per copyable label a prompt can hold. */
export const MAX_MARKS = 64;

export interface TokenInfo {
  kind: TokenKind;
  /** The special/role/action/status/symbol name, the character, or the word. */
  text: string;
  /** For byte tokens. */
  byte?: number;
  /** For mark tokens: which label (1-based). */
  mark?: number;
}

export interface VocabJSON {
  format: string;
  /** Token keys in id order (see keyOf). */
  tokens: string[];
}

/** A letter run (a word candidate) or any single code point. */
const SEGMENT = /\p{L}[\p{L}\p{M}]*|[\s\S]/gu;
const WORD = /^\p{L}[\p{L}\p{M}]*$/u;

export function isWordText(s: string): boolean {
  return WORD.test(s);
}

/** Splits text into letter runs and single code points (the units the encoder works on). */
export function segments(text: string): string[] {
  return text.match(SEGMENT) ?? [];
}

/** Bytes that printable ASCII characters do not cover. */
export function fallbackBytes(): number[] {
  const out: number[] = [];
  for (let b = 0; b < 256; b++) if (b < 0x20 || b >= 0x7f) out.push(b);
  return out;
}

function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

/** The stored key of a token; keys are unique across kinds (words never start with '<'). */
export function keyOf(info: TokenInfo): string {
  switch (info.kind) {
    case 'special':
      return `<${info.text}>`;
    case 'role':
      return `<role:${info.text}>`;
    case 'action':
      return `<act:${info.text}>`;
    case 'status':
      return `<st:${info.text}>`;
    case 'symbol':
      return `<${info.text}>`;
    case 'char':
      return `<c:${info.text}>`;
    case 'byte':
      return `<0x${hex2(info.byte!)}>`;
    case 'word':
      return info.text;
    case 'mark':
      return `<m:${info.mark!}>`;
  }
}

const SYMBOL_TEXTS = new Set<string>(Object.values(SYMBOLS));

function parseKey(key: string): TokenInfo {
  if (isWordText(key)) return { kind: 'word', text: key };
  const m = /^<(.*)>$/su.exec(key);
  if (!m) throw new Error(`vocab: malformed token key ${JSON.stringify(key)}`);
  const body = m[1];
  if ((SPECIALS as readonly string[]).includes(body)) return { kind: 'special', text: body };
  if (SYMBOL_TEXTS.has(body)) return { kind: 'symbol', text: body };
  const byte = /^0x([0-9A-F]{2})$/.exec(body);
  if (byte) return { kind: 'byte', text: body, byte: parseInt(byte[1], 16) };
  const colon = body.indexOf(':');
  const prefix = body.slice(0, colon);
  const rest = body.slice(colon + 1);
  if (prefix === 'c' && [...rest].length === 1) return { kind: 'char', text: rest };
  if (prefix === 'role' && (ROLES as readonly string[]).includes(rest))
    return { kind: 'role', text: rest };
  if (prefix === 'act' && (STEP_TYPES as readonly string[]).includes(rest))
    return { kind: 'action', text: rest };
  if (prefix === 'st' && (STATUSES as readonly string[]).includes(rest))
    return { kind: 'status', text: rest };
  const mark = Number(rest);
  if (prefix === 'm' && /^[1-9]\d*$/.test(rest) && mark <= MAX_MARKS)
    return { kind: 'mark', text: rest, mark };
  throw new Error(`vocab: unknown token key ${JSON.stringify(key)}`);
}

/** FNV-1a over the token keys, twice with different salts: a 64-bit name for a vocabulary. */
export function vocabFingerprint(vocab: Vocab | VocabJSON): string {
  const tokens = vocab.tokens;
  const text = JSON.stringify(tokens);
  const a = hashString(text).toString(16).padStart(8, '0');
  const b = hashString(`tracelab:${text}`).toString(16).padStart(8, '0');
  return `v1-${tokens.length}-${a}${b}`;
}

export class Vocab {
  readonly tokens: readonly string[];
  readonly infos: readonly TokenInfo[];
  readonly pad: number;
  readonly bos: number;
  readonly sep: number;
  readonly eos: number;
  readonly unk: number;
  private readonly index = new Map<string, number>();
  private readonly byteIds = new Map<number, number>();
  /** Mark number → id (empty in a vocabulary made before marks). */
  private readonly markIds = new Map<number, number>();

  /** Tokens in id order; throws on duplicates, malformed keys or missing required tokens. */
  constructor(tokens: readonly string[]) {
    const infos: TokenInfo[] = [];
    tokens.forEach((key, id) => {
      if (this.index.has(key)) throw new Error(`vocab: duplicate token ${JSON.stringify(key)}`);
      const info = parseKey(key);
      this.index.set(key, id);
      if (info.kind === 'byte') this.byteIds.set(info.byte!, id);
      if (info.kind === 'mark') this.markIds.set(info.mark!, id);
      infos.push(info);
    });
    this.tokens = [...tokens];
    this.infos = infos;
    const need = (key: string): number => {
      const id = this.index.get(key);
      if (id === undefined) throw new Error(`vocab: missing required token ${key}`);
      return id;
    };
    this.pad = need('<pad>');
    this.bos = need('<bos>');
    this.sep = need('<sep>');
    this.eos = need('<eos>');
    this.unk = need('<unk>');
    for (const r of ROLES) need(`<role:${r}>`);
    for (const a of ACTION_TYPES) need(`<act:${a}>`);
    for (const s of STATUSES) need(`<st:${s}>`);
    for (const s of Object.values(SYMBOLS)) need(`<${s}>`);
    for (let c = 0x20; c < 0x7f; c++) need(`<c:${String.fromCharCode(c)}>`);
    for (const b of fallbackBytes()) need(`<0x${hex2(b)}>`);
  }

  get size(): number {
    return this.tokens.length;
  }

  info(id: number): TokenInfo {
    const info = this.infos[id];
    if (!info) throw new Error(`vocab: token id ${id} out of range 0..${this.size - 1}`);
    return info;
  }

  /** Id of a token key, or undefined. */
  lookup(key: string): number | undefined {
    return this.index.get(key);
  }

  special(name: Special): number {
    return this.index.get(`<${name}>`)!;
  }

  role(role: Role): number {
    return this.index.get(`<role:${role}>`)!;
  }

  action(type: ActionType): number {
    return this.index.get(`<act:${type}>`)!;
  }

  /** Id of a step type's keyword; undefined for `tool` in vocabularies made before it. */
  stepType(type: StepType): number | undefined {
    return this.index.get(`<act:${type}>`);
  }

  status(status: Status): number {
    return this.index.get(`<st:${status}>`)!;
  }

  symbol(name: SymbolName): number {
    return this.index.get(`<${SYMBOLS[name]}>`)!;
  }

  /** Id of a word token, or undefined when the word is not in the vocabulary. */
  word(word: string): number | undefined {
    return isWordText(word) ? this.index.get(word) : undefined;
  }

  /** Id of mark k (1-based), or undefined past the vocabulary's marks. */
  mark(k: number): number | undefined {
    return this.markIds.get(k);
  }

  /** Marks this vocabulary has (0 for one made before marks). */
  get markCount(): number {
    return this.markIds.size;
  }

  get wordCount(): number {
    return this.infos.filter((i) => i.kind === 'word').length;
  }

  /** Content tokens (word, char, byte, mark) can appear inside a description or an argument. */
  isContent(id: number): boolean {
    const k = this.infos[id]?.kind;
    return k === 'word' || k === 'char' || k === 'byte' || k === 'mark';
  }

  /** Token ids of a content text; decodeText gives the same string back. */
  encodeText(text: string): number[] {
    const ids: number[] = [];
    const segs = segments(text);
    let lastWasWord = false;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      const wordId = this.word(seg);
      if (wordId !== undefined) {
        ids.push(wordId);
        lastWasWord = true;
        continue;
      }
      // One space between two word tokens is implied by the decoder.
      if (seg === ' ' && lastWasWord && i + 1 < segs.length && this.word(segs[i + 1]) !== undefined)
        continue;
      for (const ch of isWordText(seg) ? [...seg] : [seg]) this.pushChar(ch, ids);
      lastWasWord = false;
    }
    return ids;
  }

  private pushChar(ch: string, ids: number[]): void {
    const id = this.index.get(`<c:${ch}>`);
    if (id !== undefined) {
      ids.push(id);
      return;
    }
    for (const b of new TextEncoder().encode(ch)) ids.push(this.byteIds.get(b) ?? this.unk);
  }

  /**
   * Text of content token ids. Non-content tokens are written as their key (`<eos>`), so
   * decoding never throws; invalid byte sequences become U+FFFD.
   */
  decodeText(ids: readonly number[]): string {
    let out = '';
    let bytes: number[] = [];
    let lastWasWord = false;
    const flush = () => {
      if (bytes.length === 0) return;
      out += new TextDecoder().decode(new Uint8Array(bytes));
      bytes = [];
    };
    for (const id of ids) {
      const info = this.infos[id];
      if (!info) {
        flush();
        out += `<${id}?>`;
        lastWasWord = false;
        continue;
      }
      if (info.kind === 'byte') {
        bytes.push(info.byte!);
        lastWasWord = false;
        continue;
      }
      flush();
      if (info.kind === 'word') {
        out += lastWasWord ? ` ${info.text}` : info.text;
        lastWasWord = true;
      } else {
        out += info.kind === 'char' ? info.text : keyOf(info);
        lastWasWord = false;
      }
    }
    flush();
    return out;
  }

  /** A token as shown in tables and logs: the word or character itself, else its key. */
  tokenText(id: number): string {
    const info = this.infos[id];
    if (!info) return `<${id}?>`;
    return info.kind === 'word' || info.kind === 'char' ? info.text : keyOf(info);
  }

  toJSON(): VocabJSON {
    return { format: VOCAB_FORMAT, tokens: [...this.tokens] };
  }

  static fromJSON(json: unknown): Vocab {
    const j = json as Partial<VocabJSON> | null;
    if (!j || typeof j !== 'object') throw new Error('vocab: not an object');
    if (j.format !== VOCAB_FORMAT)
      throw new Error(`vocab: format ${JSON.stringify(j.format)}, expected '${VOCAB_FORMAT}'`);
    if (!Array.isArray(j.tokens) || j.tokens.some((t) => typeof t !== 'string'))
      throw new Error('vocab: tokens must be a list of strings');
    return new Vocab(j.tokens);
  }

  fingerprint(): string {
    return vocabFingerprint(this);
  }

  /**
   * Throws when a checkpoint's vocabulary is not this one, naming both fingerprints and how
   * they differ (tokens missing on either side, e.g. `<act:tool>` in one made before tool
   * steps), so an old checkpoint is refused rather than read with the wrong token ids.
   */
  assertSame(other: Vocab | VocabJSON, what = 'checkpoint'): void {
    const mine = this.fingerprint();
    const theirs = vocabFingerprint(other);
    if (mine === theirs) return;
    const have = new Set(other.tokens);
    const lacks = this.tokens.filter((t) => !have.has(t));
    const extra = other.tokens.filter((t) => !this.index.has(t));
    const list = (keys: string[]) =>
      keys.length === 0
        ? 'none'
        : `${keys.slice(0, 4).join(' ')}${keys.length > 4 ? ` and ${keys.length - 4} more` : ''}`;
    const old = lacks.includes('<act:tool>')
      ? ' (it predates tool steps)'
      : lacks.includes('<m:1>')
        ? ' (it predates label marks; `npm run train -- --stage 0 --init` extends it)'
        : '';
    throw new Error(
      `vocab mismatch: ${what} has ${theirs}, this build has ${mine}; it lacks ${list(lacks)}${old}, and has ${list(extra)} this build lacks. Retrain it with this vocabulary (npm run train -- --stage 0 …) or load it with the vocabulary it was made with (--vocab).`,
    );
  }
}

/** Keys of the fixed part of every vocabulary (everything but extra characters and words). */
export function fixedTokenKeys(): string[] {
  const keys: string[] = [];
  for (const s of SPECIALS) keys.push(`<${s}>`);
  for (const r of ROLES) keys.push(`<role:${r}>`);
  for (const a of STEP_TYPES) keys.push(`<act:${a}>`);
  for (const s of STATUSES) keys.push(`<st:${s}>`);
  for (const s of Object.values(SYMBOLS)) keys.push(`<${s}>`);
  for (let c = 0x20; c < 0x7f; c++) keys.push(`<c:${String.fromCharCode(c)}>`);
  for (const b of fallbackBytes()) keys.push(`<0x${hex2(b)}>`);
  return keys;
}

/** Keys of the mark tokens, <m:1> … <m:MAX_MARKS>. */
export function markTokenKeys(): string[] {
  return Array.from({ length: MAX_MARKS }, (_, k) => `<m:${k + 1}>`);
}

/**
 * A vocabulary from the fixed tokens plus the given extra characters and words, both sorted
 * by code units so the result does not depend on the order they were found in, then the marks.
 */
export function vocabFrom(chars: Iterable<string>, words: Iterable<string>): Vocab {
  const keys = fixedTokenKeys();
  const have = new Set(keys);
  const extraChars = [...new Set(chars)]
    .filter((c) => [...c].length === 1 && !have.has(`<c:${c}>`))
    .sort();
  for (const c of extraChars) keys.push(`<c:${c}>`);
  const sortedWords = [...new Set(words)].filter(isWordText).sort();
  for (const w of sortedWords) keys.push(w);
  keys.push(...markTokenKeys());
  return new Vocab(keys);
}
