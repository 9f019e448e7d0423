// Fault injection (b): 1,200 damaged checkpoints — bit flips, truncations, junk appended,
// splices from another checkpoint, edited header text — and 300 edits that re-seal the
// checksum but break the structure (non-finite values, shapes, offsets, tensor table, tags,
// config, vocabulary, step, header length). Every one must be refused with a CheckpointError
// that names the file and says what failed; none may load, none may throw anything else.
import { describe, expect, it } from 'vitest';
import { vocabFrom } from '../../src/rl/lang';
import {
  CHECKPOINT_REGIONS,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  seal,
  type CheckpointState,
} from '../../src/rl/model/checkpoint';
import { modelDims, type PlannerConfig } from '../../src/rl/model/config';
import { paramLayout } from '../../src/rl/model/params';
import { Rng } from '../../src/rng';

// A very small planner, so a thousand checksums stay cheap.
const CONFIG: PlannerConfig = {
  L: 1,
  C: 8,
  NH: 2,
  mlpRatio: 1,
  promptLen: 6,
  forecastTokens: 4,
  horizon: 1,
  cropSize: 1,
  maxElements: 2,
  elementTextTokens: 1,
  elementWords: 0,
  instructionPhrases: 0,
  historySteps: 0,
  boxHidden: 2,
};
const VOCAB = vocabFrom('abc', ['open', 'tap']);

function checkpoint(seed: number): Uint8Array {
  const rng = new Rng(seed);
  const layout = paramLayout(modelDims(CONFIG, VOCAB.size));
  const tensors = {} as CheckpointState['tensors'];
  for (const r of CHECKPOINT_REGIONS) {
    tensors[r] = new Map(
      layout.entries.map((e) => [
        e.name,
        Float32Array.from({ length: e.size }, () => rng.next() - 0.5),
      ]),
    );
  }
  return encodeCheckpoint({
    config: CONFIG,
    vocab: VOCAB,
    step: seed,
    optimizer: { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 },
    tensors,
    meta: { seed },
  });
}

const headerLength = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset).getUint32(8, true);

function header(b: Uint8Array): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(b.subarray(16, 16 + headerLength(b))));
}

/** The bytes with the header JSON replaced by `h` (data kept), checksum re-sealed. */
function withHeader(b: Uint8Array, h: unknown): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(h));
  const padded = Math.ceil(json.length / 4) * 4;
  const data = b.subarray(16 + headerLength(b));
  const out = new Uint8Array(16 + padded + data.length).fill(0x20);
  out.set(b.subarray(0, 16));
  new DataView(out.buffer).setUint32(8, padded, true);
  out.set(json, 16);
  out.set(data, 16 + padded);
  return seal(out);
}

type Tensor = { region: string; name: string; shape: number[]; offset: number; size: number };
type Edit = (h: Record<string, unknown>, rng: Rng) => void;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
const tensorsOf = (h: Record<string, unknown>) => h.tensors as Tensor[];

/** Structural edits that a valid checksum must not make acceptable. */
const EDITS: Record<string, Edit> = {
  shape: (h, rng) => {
    const t = pick(rng, tensorsOf(h));
    t.shape = [...t.shape, 2];
  },
  size: (h, rng) => {
    const t = pick(rng, tensorsOf(h));
    t.size += 1 + Math.floor(rng.next() * 5);
  },
  offsetOutside: (h, rng) => {
    pick(rng, tensorsOf(h)).offset = 1e9;
  },
  offsetNegative: (h, rng) => {
    pick(rng, tensorsOf(h)).offset = -4;
  },
  offsetFraction: (h, rng) => {
    pick(rng, tensorsOf(h)).offset += 0.5;
  },
  missing: (h, rng) => {
    const ts = tensorsOf(h);
    ts.splice(Math.floor(rng.next() * ts.length), 1);
  },
  extra: (h, rng) => {
    tensorsOf(h).push({ ...pick(rng, tensorsOf(h)), name: 'unknown.w' });
  },
  region: (h, rng) => {
    pick(rng, tensorsOf(h)).region = 'grads';
  },
  tableNotList: (h) => {
    h.tensors = { wte: 1 };
  },
  tableEntryNull: (h, rng) => {
    const ts = tensorsOf(h) as unknown[];
    ts[Math.floor(rng.next() * ts.length)] = null;
  },
  format: (h) => {
    h.format = 'tracelab-grounder';
  },
  version: (h, rng) => {
    h.version = pick(rng, [0, 1, 3, '2', null]);
  },
  config: (h, rng) => {
    const c = h.config as Record<string, unknown>;
    // (A huge but consistent value, e.g. horizon 1e9, is the decoder's to accept: training
    // and resume compare the config with the settings' and refuse it there.)
    c[pick(rng, Object.keys(c))] = pick(rng, [-1, 1.5, 'x', null, Infinity]);
  },
  configField: (h) => {
    (h.config as Record<string, unknown>).depth = 3;
  },
  vocab: (h) => {
    const v = h.vocab as { tokens: string[] };
    v.tokens[v.tokens.length - 1] = 'zzz';
  },
  fingerprint: (h) => {
    h.vocabFingerprint = 'v1-0-0000';
  },
  step: (h, rng) => {
    h.step = pick(rng, [-1, 0.5, 'one', null]);
  },
  optimizer: (h, rng) => {
    const o = h.optimizer as Record<string, unknown>;
    o[pick(rng, ['lr', 'beta1', 'beta2', 'eps', 'weightDecay'])] = pick(rng, [null, 'x', {}]);
  },
  notObject: (h) => {
    for (const k of Object.keys(h)) delete h[k];
  },
};

describe('mutated checkpoints', () => {
  const original = checkpoint(1);
  const other = checkpoint(2);

  function refused(bytes: Uint8Array, what: string): string {
    let error: unknown = null;
    try {
      decodeCheckpoint(bytes, { source: 'fuzz.bin' });
    } catch (e) {
      error = e;
    }
    expect(error, `${what}: accepted`).toBeInstanceOf(CheckpointError);
    const message = (error as Error).message;
    expect(message, what).toMatch(/^checkpoint fuzz\.bin: \S.{10,}/);
    expect(message, what).not.toMatch(/undefined|\[object /);
    return message.replace(/^checkpoint fuzz\.bin: /, '');
  }

  /** The kind of a reason, for the summary: names and numbers left out. */
  function kindOf(detail: string): string {
    return detail
      .replace(/tensor \S+/, 'tensor T')
      .replace(/-?\d[\d.e+]*|\[[^\]]*\]|"[^"]*"|'[^']*'/g, '_')
      .split(/[(:;]/)[0]
      .trim();
  }

  it('the originals load', () => {
    expect(decodeCheckpoint(original).step).toBe(1);
    expect(decodeCheckpoint(other).step).toBe(2);
  });

  it('refuses 1,200 damaged copies (flips, truncations, appends, splices, header text)', () => {
    const rng = new Rng(7);
    const reasons = new Map<string, number>();
    let tried = 0;
    const headerEnd = 16 + headerLength(original);
    const kinds = ['flip', 'truncate', 'append', 'splice', 'headerText'] as const;
    while (tried < 1200) {
      const kind = kinds[tried % kinds.length];
      const b = original.slice();
      let bytes: Uint8Array = b;
      const at = Math.floor(rng.next() * b.length);
      if (kind === 'flip') {
        const flips = 1 + Math.floor(rng.next() * 8);
        for (let i = 0; i < flips; i++) {
          const pos = i === 0 ? at : Math.floor(rng.next() * b.length);
          b[pos] ^= 1 << Math.floor(rng.next() * 8);
        }
      } else if (kind === 'truncate') bytes = b.subarray(0, at);
      else if (kind === 'append') {
        bytes = new Uint8Array(b.length + 1 + Math.floor(rng.next() * 64));
        bytes.set(b);
        for (let i = b.length; i < bytes.length; i++) bytes[i] = Math.floor(rng.next() * 256);
      } else if (kind === 'splice') {
        const len = 1 + Math.floor(rng.next() * 256);
        const from = Math.floor(rng.next() * (other.length - len));
        b.set(other.subarray(from, from + len), Math.min(at, b.length - len));
      } else {
        const pos = 16 + Math.floor(rng.next() * (headerEnd - 16));
        b[pos] = 32 + Math.floor(rng.next() * 95);
      }
      if (bytes.length === original.length && bytes.every((x, i) => x === original[i])) continue;
      const reason = kindOf(refused(bytes, `${kind} #${tried}`));
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      tried++;
    }
    expect(tried).toBe(1200);
    console.log('damaged checkpoints refused, by reason:', Object.fromEntries(reasons));
  });

  it('refuses 300 structural edits under a valid checksum, each for its own reason', () => {
    const rng = new Rng(11);
    const names = Object.keys(EDITS);
    const reasons = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const name = names[i % names.length];
      const h = header(original);
      EDITS[name](h, rng);
      const reason = kindOf(refused(withHeader(original, h), `${name} #${i}`));
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    // Non-finite values in every region, and a header length that lies.
    const h = header(original);
    for (const t of tensorsOf(h).filter((_, i) => i % 5 === 0)) {
      const b = original.slice();
      const pos = 16 + headerLength(b) + (t.offset + Math.floor(rng.next() * t.size)) * 4;
      new DataView(b.buffer).setFloat32(pos, pick(rng, [NaN, Infinity, -Infinity]), true);
      expect(refused(seal(b), `${t.region}/${t.name}`)).toMatch(
        new RegExp(`^tensor ${t.region}/${t.name.replace(/\./g, '\\.')} holds a non-finite value`),
      );
    }
    for (const len of [0, 3, 4, 1 << 30, headerLength(original) + 4]) {
      const b = original.slice();
      new DataView(b.buffer).setUint32(8, len, true);
      refused(seal(b), `header length ${len}`);
    }
    console.log('re-sealed structural edits refused, by reason:', Object.fromEntries(reasons));
  });
});
