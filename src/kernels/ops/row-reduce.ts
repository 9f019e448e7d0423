// The row-reduction prelude shared by the one-workgroup-per-row kernels, and the workgroup
// size they use for a row of C columns.

import prelude from './row-reduce.wgsl?raw';

/** Prepend the reductions (rowSum, rowMax, rowIndex and the WG override) to a row kernel. */
export function withRowReduce(source: string): string {
  return `${prelude}\n${source}`;
}

/**
 * Invocations per row: 32 for rows up to 32 columns, else 64 (longer rows loop). Capped at 64
 * because on SwiftShader a barrier costs time in proportion to the workgroup width: 256 made
 * layerNorm and softmax 3–7× slower there; 64 is still a full warp/wavefront on a GPU.
 */
export function rowWorkgroupSize(C: number): number {
  return C <= 32 ? 32 : 64;
}
