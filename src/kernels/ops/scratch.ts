// Device scratch for ops that pass data between their own dispatches (never across ops): one
// grow-only buffer per purpose and runtime, reused by every call, so a training step
// allocates nothing after its first run and keeps hitting the bind group cache. Dispatches
// in one pass run in order, so consecutive calls may share a purpose's buffer.

import type { BufferSlice, GpuRuntime } from '../runtime';

const buffers = new WeakMap<GpuRuntime, Map<string, BufferSlice>>();

/** A slice of at least `bytes` (the whole buffer: a stable binding) for `purpose` on `rt`. */
export function scratch(rt: GpuRuntime, purpose: string, bytes: number): BufferSlice {
  let byPurpose = buffers.get(rt);
  if (!byPurpose) {
    byPurpose = new Map();
    buffers.set(rt, byPurpose);
  }
  const have = byPurpose.get(purpose);
  if (have && have.byteLength >= bytes) return have;
  // Freed only once the recorded commands that use it are submitted (see GpuRuntime.free).
  if (have) rt.free(have.buf);
  const { buf } = rt.alloc(Math.max(bytes, 2 * (have?.byteLength ?? 0)));
  const slice = { buf, byteOffset: 0, byteLength: buf.size };
  byPurpose.set(purpose, slice);
  return slice;
}
