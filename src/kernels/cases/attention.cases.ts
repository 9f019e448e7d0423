// Attention cases: one-token sequences, odd head sizes, prefixes of 0, partial, whole and
// past-the-end lengths, and one larger block.
import type { AttentionShape } from '../backend';
import type { OpCase } from '../selftest';
import { finish, normalTensor } from './inputs';

interface AttentionCase {
  shape: AttentionShape;
  /** prefixLen per sequence, or null for a purely causal mask. */
  prefix: number[] | null;
}

const CASES: AttentionCase[] = [
  { shape: { B: 1, T: 1, NH: 1, HS: 1 }, prefix: null },
  { shape: { B: 2, T: 5, NH: 2, HS: 3 }, prefix: [3, 0] },
  { shape: { B: 3, T: 7, NH: 1, HS: 5 }, prefix: [7, 1, 9] },
  { shape: { B: 1, T: 33, NH: 3, HS: 8 }, prefix: null },
  { shape: { B: 2, T: 64, NH: 4, HS: 16 }, prefix: [40, 17] },
  // T past a workgroup of rows and not a multiple of it.
  { shape: { B: 2, T: 67, NH: 1, HS: 4 }, prefix: [0, 66] },
];

function label({ shape: s, prefix }: AttentionCase): string {
  const p = prefix ? ` prefix [${prefix.join(',')}]` : ' causal';
  return `B=${s.B} T=${s.T} NH=${s.NH} HS=${s.HS}${p}`;
}

export const cases: OpCase[] = CASES.flatMap((c): OpCase[] => {
  const { B, T, NH, HS } = c.shape;
  const C = NH * HS;
  const prefixTensor = (be: Parameters<OpCase['run']>[0]) => {
    if (!c.prefix) return null;
    const t = be.tensor([B], 'i32');
    be.write(t, c.prefix);
    return t;
  };
  return [
    {
      op: 'attention',
      name: `attention ${label(c)}`,
      async run(be, rng) {
        const qkv = normalTensor(be, rng, [B, T, 3 * C]);
        const prefixLen = prefixTensor(be);
        const out = be.tensor([B, T, C]);
        const att = be.tensor([B, NH, T, T]);
        be.attention(out, att, qkv, prefixLen, c.shape);
        const all = [qkv, out, att, ...(prefixLen ? [prefixLen] : [])];
        return finish(be, [out, att], all);
      },
    },
    {
      op: 'attentionBackward',
      name: `attentionBackward ${label(c)} accumulating`,
      async run(be, rng) {
        const qkv = normalTensor(be, rng, [B, T, 3 * C]);
        const dout = normalTensor(be, rng, [B, T, C]);
        const dqkv = normalTensor(be, rng, [B, T, 3 * C]);
        const prefixLen = prefixTensor(be);
        const out = be.tensor([B, T, C]);
        const att = be.tensor([B, NH, T, T]);
        const datt = be.tensor([B, NH, T, T]);
        be.attention(out, att, qkv, prefixLen, c.shape);
        be.attentionBackward(dqkv, datt, dout, qkv, att, c.shape);
        // datt is scratch (its contents are the backend's business): compare dqkv only.
        const all = [qkv, dout, dqkv, out, att, datt, ...(prefixLen ? [prefixLen] : [])];
        return finish(be, [dqkv], all);
      },
    },
  ];
});
