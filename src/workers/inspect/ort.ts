// onnxruntime-web as the inspect worker uses it, set up once: its wasm file served by this
// site (no CDN), one thread (a handful of small graphs per episode), errors only in the log.
import * as ort from 'onnxruntime-web/webgpu';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

export function workerOrt(): typeof ort {
  ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return ort;
}
