// What the self-test worker tells the page about WebGPU: plain data only, so it crosses the
// worker boundary (GPU objects themselves never leave the worker).
import type { GpuInfo } from '../kernels/runtime/device';

export type GpuReport = { available: true; info: GpuInfo } | { available: false; reason: string };

// Chromium does not always flag SwiftShader as a fallback adapter, so also match its name.
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

/** True for software adapters: correct but much slower than a GPU. */
export function isSoftwareAdapter(info: GpuInfo): boolean {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return info.isFallbackAdapter || SOFTWARE_NAMES.test(text);
}

/** A short name for the summary line: "google swiftshader (software)". */
export function adapterLabel(report: GpuReport): string {
  if (!report.available) return 'the CPU backend';
  const { info } = report;
  const name =
    [info.vendor, info.architecture].filter(Boolean).join(' ') || info.description || 'unknown GPU';
  return isSoftwareAdapter(info) ? `${name} (software)` : name;
}
