// Kernel self-test worker: acquires the GPU device itself, runs every op case on the WebGPU
// backend and on the CPU reference, and streams each result to the page as it lands.
// Without WebGPU it runs the cases on the CPU backend alone, so the page still shows the
// ops work (but no GPU parity was checked).
import { expose } from 'comlink';
import type { Backend } from '../kernels/backend';
import { CpuBackend } from '../kernels/cpu';
import { requestGpuDevice, type GpuDevice } from '../kernels/runtime';
import { allCases, runSelfTest, type CaseResult } from '../kernels/selftest';
import { WebGpuBackend } from '../kernels/webgpu-backend';
import type { GpuReport } from './gpu-report';

export interface SelfTestOutcome {
  /** Which backend was under test; 'cpu' means the CPU reference ran against itself. */
  backend: 'webgpu' | 'cpu';
  /** The matmul kernel variant that was checked (WebGPU only). */
  matmulVariant?: string;
  results: CaseResult[];
}

let acquired: { report: GpuReport; gpu: GpuDevice | null } | null = null;

async function acquire(): Promise<{ report: GpuReport; gpu: GpuDevice | null }> {
  if (acquired) return acquired;
  try {
    const gpu = await requestGpuDevice();
    acquired = { report: { available: true, info: gpu.info }, gpu };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    acquired = { report: { available: false, reason }, gpu: null };
  }
  return acquired;
}

const api = {
  /** Describe the adapter (or say why there is none). */
  async probe(): Promise<GpuReport> {
    return (await acquire()).report;
  },

  /** How many cases a run will report (for the progress bar). */
  caseCount(): number {
    return allCases().length;
  },

  /** Run every case; `onResult` is a comlink proxy called once per case as it finishes. */
  async run(onResult: (r: CaseResult) => void): Promise<SelfTestOutcome> {
    const { gpu } = await acquire();
    const reference = new CpuBackend();
    // No autotune here: the self-test checks the variant this device would use by default.
    const webgpu = gpu ? new WebGpuBackend(gpu) : null;
    const backend: Backend = webgpu ?? reference;
    try {
      const results = await runSelfTest(backend, reference, (r) => void onResult(r));
      return {
        backend: webgpu ? 'webgpu' : 'cpu',
        matmulVariant: webgpu?.matmulChoice.variant,
        results,
      };
    } finally {
      webgpu?.destroy();
      reference.destroy();
      // Each run starts from a fresh device, so a lost or destroyed one cannot poison the next.
      gpu?.device.destroy();
      acquired = null;
    }
  },
};

expose(api);
export type SelfTestApi = typeof api;
