// The WebAssembly SIMD backend.
export { WasmBackend, type WasmBackendOptions } from './backend';
export { defaultThreads, threadsAvailable } from './threads';
