// Embedding lookup and row gathers, CPU reference. Index values are range-checked here
// because the CPU is the one place that can do it cheaply.
import { KernelError } from '../backend';
import type { EmbeddingDims, TokenDims } from '../validate';
import type { In, Out } from './arrays';

function checkId(op: string, id: number, n: number, V: number, allowNegative: boolean): void {
  if (!Number.isInteger(id) || id >= V || (id < 0 && !allowNegative)) {
    const range = allowNegative ? `< ${V}` : `in [0,${V})`;
    throw new KernelError(op, `ids[${n}] = ${id} must be ${range} (table has ${V} rows)`);
  }
}

/** Every id is an integer below V (and ≥ 0 unless allowNegative): for kernels that trust them. */
export function checkIds(op: string, ids: In, V: number, allowNegative: boolean): void {
  for (let n = 0; n < ids.length; n++) checkId(op, ids[n], n, V, allowNegative);
}

/** out(N,C) = table(V,C)[ids[n]]. */
export function embeddingForward(out: Out, ids: In, table: In, d: EmbeddingDims): void {
  const { N, V, C } = d;
  for (let n = 0; n < N; n++) {
    const id = ids[n];
    checkId('embedding', id, n, V, false);
    for (let c = 0; c < C; c++) out[n * C + c] = table[id * C + c];
  }
}

/** dtable[ids[n]] += dout(n), in order of n (deterministic). Accumulates. */
export function embeddingBackward(dtable: Out, dout: In, ids: In, d: EmbeddingDims): void {
  const { N, V, C } = d;
  for (let n = 0; n < N; n++) {
    const id = ids[n];
    checkId('embeddingBackward', id, n, V, false);
    for (let c = 0; c < C; c++) dtable[id * C + c] += dout[n * C + c];
  }
}

/** out(N) = logp(N,V)[n, ids[n]]; a negative id gives 0. */
export function gatherRowsForward(out: Out, logp: In, ids: In, d: TokenDims): void {
  const { N, V } = d;
  for (let n = 0; n < N; n++) {
    const id = ids[n];
    checkId('gatherRows', id, n, V, true);
    out[n] = id < 0 ? 0 : logp[n * V + id];
  }
}

/** dlogp(n, ids[n]) += dout(n); nothing for a negative id. Accumulates. */
export function gatherRowsBackward(dlogp: Out, dout: In, ids: In, d: TokenDims): void {
  const { N, V } = d;
  for (let n = 0; n < N; n++) {
    const id = ids[n];
    checkId('gatherRowsBackward', id, n, V, true);
    if (id >= 0) dlogp[n * V + id] += dout[n];
  }
}
