// Embedding and gather cases. Small vocabularies with many tokens force repeated ids, so
// the scatter-add backward must combine collisions (deterministically).
import type { OpCase } from '../selftest';
import { finish, intTensor, normalTensor } from './inputs';

/** [N tokens, V rows, C channels] */
const EMBED: [number, number, number][] = [
  [1, 1, 1],
  [513, 7, 3],
  [257, 300, 65],
  [1024, 512, 128],
  // V=513 rows; C wider than a workgroup; N not a multiple of a tile.
  [300, 513, 257],
];

/** [N rows, V columns] for gatherRows; about a fifth of the ids are −1. */
const GATHER: [number, number][] = [
  [1, 1],
  [1, 513],
  [257, 37],
  [512, 2048],
];

const embeddingCases = EMBED.flatMap(([N, V, C]): OpCase[] => [
  {
    op: 'embedding',
    name: `embedding N=${N} V=${V} C=${C}`,
    async run(be, rng) {
      const table = normalTensor(be, rng, [V, C]);
      const ids = intTensor(be, rng, [N], 0, V - 1);
      const out = be.tensor([N, C]);
      be.embedding(out, ids, table);
      return finish(be, [out], [table, ids, out]);
    },
  },
  {
    op: 'embeddingBackward',
    name: `embeddingBackward N=${N} V=${V} C=${C} accumulating`,
    async run(be, rng) {
      const dtable = normalTensor(be, rng, [V, C]);
      const dout = normalTensor(be, rng, [N, C]);
      const ids = intTensor(be, rng, [N], 0, V - 1);
      be.embeddingBackward(dtable, dout, ids);
      return finish(be, [dtable], [dtable, dout, ids]);
    },
  },
]);

const gatherCases = GATHER.flatMap(([N, V]): OpCase[] => [
  {
    op: 'gatherRows',
    name: `gatherRows N=${N} V=${V} with ignored ids`,
    async run(be, rng) {
      const logp = normalTensor(be, rng, [N, V]);
      const ids = intTensor(be, rng, [N], 0, V - 1, 0.2);
      const out = normalTensor(be, rng, [N], 100); // overwritten, ignored rows included
      be.gatherRows(out, logp, ids);
      return finish(be, [out], [logp, ids, out]);
    },
  },
  {
    op: 'gatherRowsBackward',
    name: `gatherRowsBackward N=${N} V=${V} accumulating`,
    async run(be, rng) {
      const dlogp = normalTensor(be, rng, [N, V]);
      const dout = normalTensor(be, rng, [N]);
      const ids = intTensor(be, rng, [N], 0, V - 1, 0.2);
      be.gatherRowsBackward(dlogp, dout, ids);
      return finish(be, [dlogp], [dlogp, dout, ids]);
    },
  },
]);

export const cases: OpCase[] = [...embeddingCases, ...gatherCases];
