// A kernel is one WGSL entry point plus the names of what it binds. The binding convention is
// fixed so that wrappers never build layouts by hand:
//
//   @group(0) @binding(0) var<uniform> p: Params;            // only when `params` is non-empty
//   @group(0) @binding(1 + i) var<storage, read_write> ...;  // bindings[i], in order
//
// Every storage binding is `read_write`, inputs included: tensors are views into shared pools,
// and WebGPU forbids one buffer bound both read-only and writable in the same dispatch.
// List the bindings a kernel writes FIRST: WebGPU also rejects overlapping writable bindings,
// so for an in-place call (out aliasing an input) the runtime binds a copy of the later,
// overlapping binding, which must therefore be an input.
// `params` lists the fields of the WGSL `Params` struct in declaration order; all are 32-bit
// scalars, so the struct is tightly packed and a field's byte offset is 4 × its index.

export type ParamType = 'u32' | 'i32' | 'f32';

export interface KernelSpec<B extends string, P extends string> {
  /** Op name used in error messages, e.g. 'matmul'. */
  name: string;
  /** WGSL source (imported with `?raw`). */
  source: string;
  /** Entry point; default 'main'. */
  entryPoint?: string;
  /** Storage bindings in @binding(1), @binding(2), … order. */
  bindings: readonly B[];
  /** Uniform `Params` fields in declaration order with their WGSL types. */
  params: readonly (readonly [P, ParamType])[];
}

export interface Kernel<B extends string = string, P extends string = string> {
  readonly name: string;
  readonly source: string;
  readonly entryPoint: string;
  readonly bindings: readonly B[];
  readonly params: readonly (readonly [P, ParamType])[];
  /** Identifies the bind group layout shape: 'u' for a uniform, then one 's' per storage binding. */
  readonly layoutKey: string;
}

/** The largest uniform struct a kernel may declare: one 256-byte ring slot. */
export const UNIFORM_SLOT_BYTES = 256;

/** GPUShaderStage.COMPUTE, spelled out so the runtime needs no WebGPU globals (Node). */
const COMPUTE_STAGE = 0x4;

export function defineKernel<B extends string, P extends string>(
  spec: KernelSpec<B, P>,
): Kernel<B, P> {
  if (spec.params.length * 4 > UNIFORM_SLOT_BYTES) {
    throw new Error(`kernel ${spec.name}: more than ${UNIFORM_SLOT_BYTES / 4} params`);
  }
  return {
    name: spec.name,
    source: spec.source,
    entryPoint: spec.entryPoint ?? 'main',
    bindings: spec.bindings,
    params: spec.params,
    layoutKey: (spec.params.length > 0 ? 'u' : '') + 's'.repeat(spec.bindings.length),
  };
}

/** Write `values` into a uniform slot (u32 and f32 views over the same bytes). */
export function packParams<P extends string>(
  kernel: Kernel<string, P>,
  values: Record<P, number>,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  wordOffset: number,
): void {
  const params = kernel.params;
  for (let i = 0; i < params.length; i++) {
    const [name, type] = params[i];
    const v = values[name];
    if (v === undefined) throw new Error(`kernel ${kernel.name}: param '${name}' is missing`);
    if (type === 'f32') f32[wordOffset + i] = v;
    else if (type === 'i32') i32[wordOffset + i] = v;
    else u32[wordOffset + i] = v;
  }
}

/** One bind group layout entry list for a layout key ('u' + 's'…). */
export function layoutEntries(layoutKey: string): GPUBindGroupLayoutEntry[] {
  const entries: GPUBindGroupLayoutEntry[] = [];
  const hasUniform = layoutKey.startsWith('u');
  if (hasUniform) {
    entries.push({
      binding: 0,
      visibility: COMPUTE_STAGE,
      buffer: { type: 'uniform', hasDynamicOffset: true },
    });
  }
  const storage = layoutKey.length - (hasUniform ? 1 : 0);
  for (let i = 0; i < storage; i++) {
    entries.push({
      binding: 1 + i,
      visibility: COMPUTE_STAGE,
      buffer: { type: 'storage' },
    });
  }
  return entries;
}
