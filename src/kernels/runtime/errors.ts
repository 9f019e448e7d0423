// Errors raised by the runtime. Bad op arguments are KernelErrors from validate.ts; these are
// the failures only the GPU can report: validation and out-of-memory errors (caught with error
// scopes and surfaced, naming the ops, at the next read() or sync()) and device loss.

import { KernelError } from '../backend';

/** A GPU-side failure attributed to the op (or ops) whose commands caused it. */
export class GpuOpError extends KernelError {
  constructor(
    op: string,
    readonly kind: 'validation' | 'out-of-memory' | 'internal' | 'pipeline',
    gpuMessage: string,
  ) {
    super(op, `WebGPU ${kind} error: ${gpuMessage.trim()}`);
    this.name = 'GpuOpError';
  }
}

/** Any use of the runtime after the device was lost or destroyed. */
export class DeviceLostError extends Error {
  constructor(
    readonly reason: string,
    detail: string,
    what: string,
  ) {
    super(
      `${what}: the WebGPU device was lost (${reason}${detail ? `: ${detail}` : ''}); ` +
        'create a new backend to continue',
    );
    this.name = 'DeviceLostError';
  }
}

/** Classify a GPUError without relying on WebGPU globals being installed (Node). */
export function errorKind(e: GPUError): GpuOpError['kind'] {
  const name = e.constructor?.name ?? '';
  if (name.includes('OutOfMemory')) return 'out-of-memory';
  if (name.includes('Internal')) return 'internal';
  return 'validation';
}
