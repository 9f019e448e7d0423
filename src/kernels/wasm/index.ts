// The WebAssembly SIMD backend.
export { WasmBackend } from './backend';
