// The trainer's backend: the kind the settings ask for, or with 'auto' the fastest of WebGPU
// and wasm on a short real planner step (src/kernels/choice.ts). A WebGPU request without a
// device falls back to wasm, with the reason kept so the page can say so plainly.
import type { Backend } from '../../kernels/backend';
import {
  fixedDecision,
  pickFastest,
  type BackendCandidate,
  type BackendDecision,
  type BackendSetting,
  type StepProbe,
} from '../../kernels/choice';
import { CpuBackend } from '../../kernels/cpu';
import { requestGpuDevice } from '../../kernels/runtime/device';
import { defaultThreads, WasmBackend } from '../../kernels/wasm';
import { WebGpuBackend } from '../../kernels/webgpu-backend';
import { isSoftwareAdapter } from '../gpu-report';
import type { BackendReport } from '../trainer-api';

export interface AcquiredBackend {
  be: Backend;
  report: BackendReport;
  /** Subscribe to device loss (WebGPU only); returns the unsubscribe function. */
  onLost(cb: (message: string) => void): () => void;
}

function reportOf(be: Backend, decision: BackendDecision, fallbackReason?: string): BackendReport {
  const gpu = be instanceof WebGpuBackend ? be : null;
  return {
    kind: be.kind,
    description: be.description,
    software: gpu ? isSoftwareAdapter(gpu.info) : false,
    ...(gpu ? { info: gpu.info } : {}),
    ...(fallbackReason ? { fallbackReason } : {}),
    decision,
  };
}

function acquired(be: Backend, decision: BackendDecision, fallbackReason?: string) {
  const gpu = be instanceof WebGpuBackend ? be : null;
  if (be instanceof WasmBackend && be.threadNote) decision = { ...decision, note: be.threadNote };
  return {
    be,
    report: reportOf(be, decision, fallbackReason),
    onLost: (cb: (message: string) => void) =>
      gpu
        ? gpu.onDeviceLost((info) => cb(`${info.reason}${info.message ? `: ${info.message}` : ''}`))
        : () => {},
  };
}

/** Autotune picks the matmul variant that is fast on this adapter (about a second). */
const webgpu: BackendCandidate = { kind: 'webgpu', create: () => WebGpuBackend.create() };
/** wasm on the machine's cores when the page is cross-origin isolated, else one thread. */
const wasm: BackendCandidate = {
  kind: 'wasm',
  create: () => WasmBackend.create({ threads: defaultThreads() }),
};

/** `probe` is timed only for 'auto' (which needs one). */
export async function acquireBackend(
  setting: BackendSetting,
  probe?: StepProbe,
): Promise<AcquiredBackend> {
  if (setting === 'cpu') {
    const be = new CpuBackend();
    return acquired(be, fixedDecision(setting, be));
  }
  if (setting === 'wasm') {
    const be = await wasm.create();
    return acquired(be, fixedDecision(setting, be));
  }
  if (setting === 'auto') {
    if (!probe) throw new Error("acquireBackend: 'auto' needs a step probe to time");
    const { be, decision } = await pickFastest([wasm, webgpu], probe);
    return acquired(be, decision);
  }
  try {
    const be = await webgpu.create();
    return acquired(be, fixedDecision(setting, be));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const be = await WasmBackend.create();
    return acquired(
      be,
      fixedDecision(setting, be, `WebGPU was asked for but is unavailable: ${reason}`),
      reason,
    );
  }
}

/**
 * The backend for forward passes only (the Agent viewer, the GRPO explainer): WebGPU on a
 * real GPU; wasm where the adapter is software or missing, since a software adapter
 * (SwiftShader) runs the planner several times slower than wasm on the same CPU.
 */
export async function acquireInferenceBackend(gpu?: GPU): Promise<AcquiredBackend> {
  let why: string;
  try {
    const device = await requestGpuDevice(gpu);
    if (!isSoftwareAdapter(device.info)) {
      const be = new WebGpuBackend(device);
      await be.autotune();
      return acquired(be, fixedDecision('webgpu', be, 'a hardware GPU adapter is present'));
    }
    device.device.destroy();
    why = `the WebGPU adapter is software (${device.info.description || device.info.vendor})`;
  } catch (e) {
    why = `WebGPU is unavailable: ${e instanceof Error ? e.message : String(e)}`;
  }
  const be = await wasm.create();
  return acquired(be, fixedDecision('wasm', be, `${why}; wasm is faster`));
}
