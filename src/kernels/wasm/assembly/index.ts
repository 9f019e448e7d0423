// The WebAssembly kernels: one module over an imported linear memory. JS owns the memory
// layout (src/kernels/wasm/arena.ts); kernels never allocate.
export { matmulRows, matmulScratchBytes } from './matmul';

/** First byte JS may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
