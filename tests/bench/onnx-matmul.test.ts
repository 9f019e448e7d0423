// The benchmark's ONNX MatMul model must be a valid model that computes A·B: run it on
// onnxruntime-web's wasm backend in Node and compare with the shared spot check.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { matmulModel } from '../../src/bench/onnx-matmul';
import { checkProduct, matmulProblem } from '../../src/bench/problems';

describe('matmulModel', () => {
  it('is loaded by onnxruntime-web and computes C = A·B', async () => {
    ort.env.wasm.numThreads = 1;
    const n = 24;
    const p = matmulProblem(n);
    const session = await ort.InferenceSession.create(matmulModel(n), {
      executionProviders: ['wasm'],
    });
    expect(session.inputNames).toEqual(['A', 'B']);
    expect(session.outputNames).toEqual(['C']);
    const out = await session.run({
      A: new ort.Tensor('float32', p.a, [n, n]),
      B: new ort.Tensor('float32', p.b, [n, n]),
    });
    expect(out.C.dims).toEqual([n, n]);
    expect(checkProduct(p, out.C.data as Float32Array)).toBeNull();
    // The spot check itself must catch a wrong product (here A·Bᵀ).
    const wrong = new Float32Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let k = 0; k < n; k++) wrong[i * n + j] += p.a[i * n + k] * p.b[j * n + k];
    expect(checkProduct(p, wrong)).toMatch(/^out\[/);
    await session.release();
  });
});
