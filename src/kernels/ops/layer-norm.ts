// layerNorm (overwrites out, mean, rstd) and layerNormBackward (accumulates dx, dw, db) over
// rows x(R,C). The backward is two dispatches: dx row by row, then dw/db column by column.
// Software adapters run the row passes with one invocation per row (no barriers).

import { defineKernel, grid1d, type BufferSlice, type GpuRuntime } from '../runtime';
import { columnTile, PER_ROW_WG, rowWorkgroupSize, withRowReduce } from './row-reduce';
import body from './layer-norm.wgsl?raw';

const source = withRowReduce(body);

const params = [
  ['R', 'u32'],
  ['C', 'u32'],
  ['eps', 'f32'],
] as const;
const backwardBindings = ['dx', 'dw', 'db', 'dout', 'x', 'w', 'mean', 'rstd'] as const;

const forwardKernel = defineKernel({
  name: 'layerNorm',
  source,
  entryPoint: 'forward',
  bindings: ['out', 'mean', 'rstd', 'x', 'w', 'b'],
  params,
});
const backwardDxKernel = defineKernel({
  name: 'layerNormBackward',
  source,
  entryPoint: 'backwardDx',
  bindings: backwardBindings,
  params,
});
const forwardPerRowKernel = defineKernel({ ...forwardKernel, entryPoint: 'forwardPerRow' });
const backwardDxPerRowKernel = defineKernel({
  ...backwardDxKernel,
  entryPoint: 'backwardDxPerRow',
});
const backwardDwDbKernel = defineKernel({
  name: 'layerNormBackward',
  source,
  entryPoint: 'backwardDwDb',
  bindings: backwardBindings,
  params,
});

/**
 * Workgroups for the row entry points: one workgroup per row on a GPU; one invocation per
 * row (the …PerRow entry points) on software adapters.
 */
function rowGrid(
  rt: GpuRuntime,
  R: number,
  C: number,
): { constants: { WG: number }; workgroups: [number, number, number] } {
  if (rt.info.isFallbackAdapter) {
    return { constants: { WG: PER_ROW_WG }, workgroups: grid1d(R, PER_ROW_WG) };
  }
  return { constants: { WG: rowWorkgroupSize(rt, C) }, workgroups: grid1d(R, 1) };
}

/** out(R,C) = (x − mean)·rstd·w + b; writes mean(R), rstd(R). */
export function layerNorm(
  rt: GpuRuntime,
  out: BufferSlice,
  mean: BufferSlice,
  rstd: BufferSlice,
  x: BufferSlice,
  w: BufferSlice,
  b: BufferSlice,
  R: number,
  C: number,
  eps: number,
): void {
  const perRow = rt.info.isFallbackAdapter;
  rt.dispatch(perRow ? forwardPerRowKernel : forwardKernel, {
    bindings: { out, mean, rstd, x, w, b },
    params: { R, C, eps },
    ...rowGrid(rt, R, C),
  });
}

/** dx(R,C), dw(C), db(C) += the layer-norm gradients. */
export function layerNormBackward(
  rt: GpuRuntime,
  dx: BufferSlice,
  dw: BufferSlice,
  db: BufferSlice,
  dout: BufferSlice,
  x: BufferSlice,
  w: BufferSlice,
  mean: BufferSlice,
  rstd: BufferSlice,
  R: number,
  C: number,
): void {
  const bindings = { dx, dw, db, dout, x, w, mean, rstd };
  const p = { R, C, eps: 0 };
  const tile = columnTile(rt);
  const perRow = rt.info.isFallbackAdapter;
  rt.dispatch(perRow ? backwardDxPerRowKernel : backwardDxKernel, {
    bindings,
    params: p,
    ...rowGrid(rt, R, C),
  });
  rt.dispatch(backwardDwDbKernel, {
    bindings,
    params: p,
    constants: { ...tile },
    workgroups: [Math.ceil(C / tile.COLS), 1, 1],
  });
}
