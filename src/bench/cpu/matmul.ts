// The CPU matmul contenders, each prepared once per size and timed on its own run():
// our wasm backend (inputs already in its arena), TF.js's wasm backend (XNNPACK) and
// onnxruntime-web's wasm execution provider, both one thread, tensors created once.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { WasmBackend } from '../../kernels/wasm';
import { matmulModel } from '../onnx-matmul';
import type { MatmulProblem } from '../problems';

export interface CpuMatmul {
  run(): Promise<void> | void;
  result(): Promise<ArrayLike<number>>;
  dispose(): void;
}

export async function oursWasm(be: WasmBackend, p: MatmulProblem): Promise<CpuMatmul> {
  const a = be.tensor([p.n, p.n]);
  const b = be.tensor([p.n, p.n]);
  const out = be.tensor([p.n, p.n]);
  be.write(a, p.a);
  be.write(b, p.b);
  return {
    run: () => be.matmul(out, a, b),
    result: () => be.read(out),
    dispose: () => [a, b, out].forEach((t) => be.release(t)),
  };
}

let tfReady: Promise<void> | null = null;

/** TF.js on its wasm backend, loading its .wasm files from node_modules (no network). */
function tfWasm(): Promise<void> {
  tfReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const pkg = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(join(pkg, 'wasm-out') + '/');
    await tf.setBackend('wasm');
    await tf.ready();
  })();
  return tfReady;
}

export async function tfjsWasm(p: MatmulProblem): Promise<CpuMatmul> {
  await tfWasm();
  const a = tf.tensor2d(p.a, [p.n, p.n]);
  const b = tf.tensor2d(p.b, [p.n, p.n]);
  const product = async () => {
    const c = tf.matMul(a, b);
    const data = await c.data();
    c.dispose();
    return data as Float32Array;
  };
  return {
    run: async () => void (await product()),
    result: product,
    dispose: () => tf.dispose([a, b]),
  };
}

export async function ortWasm(p: MatmulProblem): Promise<CpuMatmul> {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const session = await ort.InferenceSession.create(matmulModel(p.n), {
    executionProviders: ['wasm'],
  });
  const feeds = {
    A: new ort.Tensor('float32', p.a, [p.n, p.n]),
    B: new ort.Tensor('float32', p.b, [p.n, p.n]),
  };
  const product = async () => {
    const out = await session.run(feeds);
    const data = out.C.data as Float32Array;
    out.C.dispose();
    return data;
  };
  return {
    run: async () => void (await product()),
    result: product,
    dispose: () => void session.release(),
  };
}
