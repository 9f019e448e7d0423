// onnxruntime-web side: its `webgpu` execution provider running a one-node MatMul model
// (onnx-matmul.ts) per size.
//
// Timed unit: session.run with both inputs already in GPU buffers on ORT's own device
// (Tensor.fromGpuBuffer) and the output left on the GPU (preferredOutputLocation
// 'gpu-buffer'), then await onSubmittedWorkDone on that device. So it includes ORT's per-run
// overhead (JS → wasm, kernel selection, output allocation) but no upload or readback.
// Session creation and the first (compiling) run are untimed warm-up.

import * as ort from 'onnxruntime-web/webgpu';
// ORT's wasm binary, served by Vite from node_modules: nothing is fetched from the network.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { matmulModel } from './onnx-matmul';
import type { MatmulProblem } from './problems';
import type { MatmulWorkload } from './workload';

export class OrtBench {
  static configure(): void {
    ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
    // The bench page is not cross-origin isolated, so there are no wasm threads anyway.
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
  }

  async matmul(p: MatmulProblem): Promise<MatmulWorkload> {
    const { n } = p;
    const session = await ort.InferenceSession.create(matmulModel(n), {
      executionProviders: ['webgpu'],
      preferredOutputLocation: 'gpu-buffer',
    });
    const device = await ort.env.webgpu.device;
    const buffers: GPUBuffer[] = [];
    const gpuInput = (data: Float32Array): ort.Tensor => {
      const buf = device.createBuffer({
        size: data.byteLength,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
      device.queue.writeBuffer(buf, 0, data);
      buffers.push(buf);
      return ort.Tensor.fromGpuBuffer(buf, { dataType: 'float32', dims: [n, n] });
    };
    const feeds = { A: gpuInput(p.a), B: gpuInput(p.b) };
    return {
      run: async () => {
        const out = await session.run(feeds);
        await device.queue.onSubmittedWorkDone();
        out.C.dispose();
      },
      result: async () => {
        const out = await session.run(feeds);
        const data = (await out.C.getData(true)) as Float32Array;
        return data;
      },
      dispose: async () => {
        await session.release();
        for (const b of buffers) b.destroy();
      },
    };
  }
}
