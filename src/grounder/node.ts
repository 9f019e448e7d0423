// The grounder in Node (CLI, tests, headless experiments): model bytes from disk and
// onnxruntime-web's wasm build ('onnxruntime-web' resolves to it under Node).
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import type { Backend } from '../kernels/backend';
import { CpuBackend } from '../kernels/cpu';
import { BackendGrounder } from './backend-grounder';
import { createGrounder, type OrtGrounder } from './runner';

/** Relative to the repository root. */
export const DEFAULT_GROUNDER_PATH = 'public/models/grounder.onnx';

export function loadGrounderBytes(path = DEFAULT_GROUNDER_PATH): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** The shipped grounder in onnxruntime-web (wasm): `ground(screen, pixels, description)`. */
export function createNodeGrounder(
  opts: { path?: string; model?: Uint8Array } = {},
): Promise<OrtGrounder> {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const model = opts.model ?? loadGrounderBytes(opts.path);
  return createGrounder({ backend: 'ort-wasm', model, ort });
}

/** The same model through our own Backend forward (CPU reference unless given). */
export function createBackendGrounder(
  opts: { path?: string; model?: Uint8Array; backend?: Backend } = {},
): BackendGrounder {
  return new BackendGrounder(
    opts.backend ?? new CpuBackend(),
    opts.model ?? loadGrounderBytes(opts.path),
  );
}
