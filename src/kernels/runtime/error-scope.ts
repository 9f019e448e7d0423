// Error scopes around GPU calls. WebGPU reports validation, out-of-memory and internal errors
// asynchronously; we never wait for them inside a step. Instead each scoped call yields a
// promise that the runtime collects and checks at the next read() or sync(), naming the op.

import { GpuOpError, errorKind } from './errors';

/** Run `fn` inside validation, out-of-memory and internal error scopes. */
export function withErrorScope<T>(
  device: GPUDevice,
  fn: () => T,
): { value: T; error: Promise<GPUError | null> } {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  device.pushErrorScope('internal');
  let value: T;
  try {
    value = fn();
  } catch (e) {
    void popScopes(device); // scopes are a stack: pop all three even when fn throws
    throw e;
  }
  return { value, error: popScopes(device) };
}

function popScopes(device: GPUDevice): Promise<GPUError | null> {
  const internal = device.popErrorScope();
  const validation = device.popErrorScope();
  const oom = device.popErrorScope();
  return Promise.all([validation, oom, internal]).then(
    ([v, o, i]) => v ?? o ?? i,
    () => null, // a lost device rejects pops; loss is reported through device.lost instead
  );
}

/** Pending checks, each attributed to the op(s) whose calls it covered. */
export class ErrorChecks {
  private pending: Promise<GpuOpError | null>[] = [];

  add(op: string, error: Promise<GPUError | null>): void {
    this.pending.push(error.then((e) => (e ? new GpuOpError(op, errorKind(e), e.message) : null)));
    // A loop that never reads must not grow this list: fold it into one check, first error kept.
    if (this.pending.length > 256) {
      const folded = this.pending;
      this.pending = [Promise.all(folded).then((rs) => rs.find((r) => r !== null) ?? null)];
    }
  }

  /** Throw the first error among all checks added so far. */
  async throwIfAny(): Promise<void> {
    if (this.pending.length === 0) return;
    const checks = this.pending;
    this.pending = [];
    const results = await Promise.all(checks);
    const first = results.find((r) => r !== null);
    if (first) throw first;
  }
}
