// Matmul wrapper: picks a WGSL variant, sets its tunables as override constants and sizes the
// grid. Variants share one binding layout and one Params struct, so adding a tuning is one
// entry in MATMUL_VARIANTS.

import type { MatmulOptions } from '../backend';
import { defineKernel, type BufferSlice, type GpuRuntime, type Kernel } from '../runtime';
import type { MatmulDims } from '../validate';
import regtileSource from './matmul-regtile.wgsl?raw';
import tiledSource from './matmul-tiled.wgsl?raw';

type Bindings = 'out' | 'a' | 'b';
type Params = 'M' | 'N' | 'K' | 'bStride';
const params = [
  ['M', 'u32'],
  ['N', 'u32'],
  ['K', 'u32'],
  ['bStride', 'u32'],
] as const;
const bindings = ['out', 'a', 'b'] as const;

const regtile = defineKernel<Bindings, Params>({
  name: 'matmul',
  source: regtileSource,
  bindings,
  params,
});
const tiled = defineKernel<Bindings, Params>({
  name: 'matmul',
  source: tiledSource,
  bindings,
  params,
});

export interface MatmulVariant {
  readonly name: string;
  readonly kernel: Kernel<Bindings, Params>;
  /** Tunables (WGSL override constants). */
  readonly constants: Readonly<Record<string, number>>;
  /** Rows and columns of out computed by one workgroup. */
  readonly blockM: number;
  readonly blockN: number;
  /** Whether the kernel stages tiles in workgroup memory (what real GPUs like). */
  readonly usesWorkgroupMemory: boolean;
}

function regtileVariant(name: string, wgX: number, wgY: number): MatmulVariant {
  const constants = { WG_X: wgX, WG_Y: wgY };
  return {
    name,
    kernel: regtile,
    constants,
    blockM: 4 * wgY,
    blockN: 4 * wgX,
    usesWorkgroupMemory: false,
  };
}

function tiledVariant(name: string, tile: number, wpt: number): MatmulVariant {
  const constants = { TILE: tile, WPT: wpt };
  const block = tile * wpt;
  return {
    name,
    kernel: tiled,
    constants,
    blockM: block,
    blockN: block,
    usesWorkgroupMemory: true,
  };
}

/** Every variant the autotuner considers, fastest-on-SwiftShader first. */
export const MATMUL_VARIANTS: readonly MatmulVariant[] = [
  regtileVariant('regtile-8x8', 8, 8),
  regtileVariant('regtile-16x16', 16, 16),
  regtileVariant('regtile-16x4', 16, 4),
  tiledVariant('tiled-16x4', 16, 4),
  tiledVariant('tiled-8x4', 8, 4),
  tiledVariant('tiled-16x2', 16, 2),
];

export type MatmulVariantName = string;

export function matmulVariant(name: MatmulVariantName): MatmulVariant {
  const v = MATMUL_VARIANTS.find((x) => x.name === name);
  if (!v) {
    const known = MATMUL_VARIANTS.map((x) => x.name).join(', ');
    throw new Error(`unknown matmul variant '${name}' (known: ${known})`);
  }
  return v;
}

/** Record out = op(a)·op(b) (or out += … with accumulate) for shapes checked by validate. */
export function matmul(
  rt: GpuRuntime,
  variant: MatmulVariant,
  out: BufferSlice,
  a: BufferSlice,
  b: BufferSlice,
  dims: MatmulDims,
  opts: MatmulOptions = {},
): void {
  const { batch, M, N, K, bBatched } = dims;
  rt.dispatch(variant.kernel, {
    bindings: { out, a, b },
    params: { M, N, K, bStride: bBatched ? K * N : 0 },
    constants: {
      ...variant.constants,
      TRANS_A: !!opts.transA,
      TRANS_B: !!opts.transB,
      ACCUMULATE: !!opts.accumulate,
    },
    workgroups: [Math.ceil(N / variant.blockN), Math.ceil(M / variant.blockM), batch],
  });
}
