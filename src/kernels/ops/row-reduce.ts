// The row-reduction prelude shared by the one-workgroup-per-row kernels, and the workgroup
// size they use for a row of C columns.

import type { GpuRuntime } from '../runtime';
import prelude from './row-reduce.wgsl?raw';

/**
 * Row workgroup size on software adapters: one invocation per row. SwiftShader runs a
 * workgroup's barriers as fiber switches, which cost far more than the adds they save; with
 * one invocation the reductions are plain loops and every barrier is trivial. Measured on a
 * tiny planner step: layerNorm 6–9× and crossEntropy 4× faster than with 32–64 invocations.
 */
export const SOFTWARE_ROW_WG = 1;

/**
 * Workgroup size of the one-invocation-per-row entry points (`…PerRow`) that the hottest row
 * kernels use on software adapters: rows side by side fill SwiftShader's SIMD lanes, which a
 * workgroup of one leaves mostly idle.
 */
export const PER_ROW_WG = 64;

/** Prepend the reductions (rowSum, rowMax, rowIndex and the WG override) to a row kernel. */
export function withRowReduce(source: string): string {
  return `${prelude}\n${source}`;
}

/**
 * Invocations per row: 32 for rows up to 32 columns, else 64 (longer rows loop). Capped at 64
 * because on SwiftShader a barrier costs time in proportion to the workgroup width: 256 made
 * layerNorm and softmax 3–7× slower there; 64 is still a full warp/wavefront on a GPU.
 * Software adapters get SOFTWARE_ROW_WG.
 */
export function rowWorkgroupSize(rt: GpuRuntime, C: number): number {
  if (rt.info.isFallbackAdapter) return SOFTWARE_ROW_WG;
  return C <= 32 ? 32 : 64;
}

/** A column-sum workgroup: COLS columns × LANES invocations summing interleaved rows. */
export interface ColumnTile {
  COLS: number;
  LANES: number;
}

/**
 * The column-sum tile of biasBackward and layerNormBackward's dw/db: 32 columns × 8 lanes on
 * a GPU; on software adapters one lane per column (its loop over the rows is cheap, the
 * barrier that combines lanes is not) in narrow workgroups.
 */
export function columnTile(rt: GpuRuntime): ColumnTile {
  return rt.info.isFallbackAdapter ? { COLS: 8, LANES: 1 } : { COLS: 32, LANES: 8 };
}
