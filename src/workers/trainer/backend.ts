// The trainer's backend: WebGPU when the settings ask for it and the worker gets a device,
// otherwise the CPU reference, with the reason kept so the page can say so plainly.
import type { Backend } from '../../kernels/backend';
import { CpuBackend } from '../../kernels/cpu';
import { WebGpuBackend } from '../../kernels/webgpu-backend';
import { isSoftwareAdapter } from '../gpu-report';
import type { BackendReport } from '../trainer-api';

export interface AcquiredBackend {
  be: Backend;
  report: BackendReport;
  /** Subscribe to device loss (WebGPU only); returns the unsubscribe function. */
  onLost(cb: (message: string) => void): () => void;
}

function cpu(fallbackReason?: string): AcquiredBackend {
  const be = new CpuBackend();
  return {
    be,
    report: { kind: 'cpu', description: be.description, software: false, fallbackReason },
    onLost: () => () => {},
  };
}

export async function acquireBackend(kind: 'webgpu' | 'cpu'): Promise<AcquiredBackend> {
  if (kind === 'cpu') return cpu();
  let be: WebGpuBackend;
  try {
    // Autotune picks the matmul variant that is fast on this adapter (about a second).
    be = await WebGpuBackend.create();
  } catch (e) {
    return cpu(e instanceof Error ? e.message : String(e));
  }
  return {
    be,
    report: {
      kind: 'webgpu',
      description: be.description,
      software: isSoftwareAdapter(be.info),
      info: be.info,
    },
    onLost: (cb) =>
      be.onDeviceLost((info) => cb(`${info.reason}${info.message ? `: ${info.message}` : ''}`)),
  };
}
