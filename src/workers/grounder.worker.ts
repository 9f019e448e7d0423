// Grounder worker: the frozen GUI grounder (public/models/grounder.onnx) in onnxruntime-web,
// with the webgpu execution provider when the browser gives a real adapter, wasm otherwise.
// ORT's wasm binary is served by Vite from node_modules (never a CDN). Plain data in and out:
// the element list (keys are dropped here if the caller sent them), RGB pixels, a description.
import { expose } from 'comlink';
import * as ort from 'onnxruntime-web/webgpu';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { GroundResult } from '../grounder/agent';
import { screenElements, type ScreenInput } from '../grounder/features';
import { createGrounder, type OrtBackendName, type OrtGrounder } from '../grounder/runner';
import type { Element } from '../envs/types';

/** Relative to the site root (public/ is served at /). */
export const GROUNDER_MODEL_URL = 'models/grounder.onnx';

let grounder: Promise<OrtGrounder> | null = null;

async function pickBackend(prefer?: OrtBackendName): Promise<OrtBackendName> {
  if (prefer) return prefer;
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  // SwiftShader is an adapter too, but a slow one: ORT's wasm is the better choice there.
  const info = adapter?.info;
  const software =
    !adapter || info?.vendor === 'google' || /swiftshader/i.test(info?.description ?? '');
  return software ? 'ort-wasm' : 'ort-webgpu';
}

async function load(url: string, prefer?: OrtBackendName): Promise<OrtGrounder> {
  ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const res = await fetch(url);
  if (!res.ok) throw new Error(`grounder: fetching ${url} gave HTTP ${res.status}`);
  const model = new Uint8Array(await res.arrayBuffer());
  return createGrounder({ backend: await pickBackend(prefer), model, ort });
}

const api = {
  /** Loads the model once; returns the backend in use. */
  async init(opts: { url?: string; backend?: OrtBackendName } = {}): Promise<string> {
    grounder ??= load(opts.url ?? GROUNDER_MODEL_URL, opts.backend);
    try {
      return (await grounder).backend;
    } catch (e) {
      grounder = null;
      throw e;
    }
  },

  async ground(
    screen: {
      width: number;
      height: number;
      elements: readonly (Element | ScreenInput['elements'][number])[];
    },
    pixels: Uint8Array,
    description: string,
  ): Promise<GroundResult> {
    grounder ??= load(GROUNDER_MODEL_URL);
    const g = await grounder;
    const elements = screenElements(screen.elements as Element[]);
    return g.ground({ width: screen.width, height: screen.height, elements }, pixels, description);
  },
};

export type GrounderApi = typeof api;
expose(api);
