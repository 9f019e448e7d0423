// Kernel self-test worker: acquires the GPU device itself, runs every op case on the WebGPU
// backend and on the CPU reference, and streams each result to the page as it lands.
// Without WebGPU it runs the cases on the CPU backend alone, so the page still shows the
// ops work (but no GPU parity was checked).
import { expose } from 'comlink';
import type { Backend } from '../kernels/backend';
import { CpuBackend } from '../kernels/cpu';
import { WebGpuBackend } from '../kernels/webgpu-backend';
import { requestGpuDevice } from '../kernels/runtime/device';
import { runSelfTest, type CaseResult } from '../kernels/selftest';
import type { GpuReport } from './gpu-report';

export interface SelfTestOutcome {
  /** Which backend was under test; 'cpu' means the CPU reference ran against itself. */
  backend: 'webgpu' | 'cpu';
  results: CaseResult[];
}

let acquired: { report: GpuReport; device: GPUDevice | null } | null = null;

async function acquire(): Promise<{ report: GpuReport; device: GPUDevice | null }> {
  if (acquired) return acquired;
  try {
    const { device, info } = await requestGpuDevice();
    acquired = { report: { available: true, info }, device };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    acquired = { report: { available: false, reason }, device: null };
  }
  return acquired;
}

const api = {
  /** Describe the adapter (or say why there is none). */
  async probe(): Promise<GpuReport> {
    return (await acquire()).report;
  },

  /** Run every case; `onResult` is a comlink proxy called once per case as it finishes. */
  async run(onResult: (r: CaseResult) => void): Promise<SelfTestOutcome> {
    const { device } = await acquire();
    const reference = new CpuBackend();
    let backend: Backend = reference;
    if (device) backend = new WebGpuBackend(device);
    try {
      const results = await runSelfTest(backend, reference, (r) => void onResult(r));
      return { backend: backend.kind, results };
    } finally {
      if (backend !== reference) backend.destroy();
      reference.destroy();
      // Each run starts from a fresh device, so a lost or destroyed one cannot poison the next.
      device?.destroy();
      acquired = null;
    }
  },
};

expose(api);
export type SelfTestApi = typeof api;
