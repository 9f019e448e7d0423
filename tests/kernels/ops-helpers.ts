// Helpers shared by the WebGPU op tests: run a case against the CPU reference, and expect a
// call to be refused with a KernelError that names the op.
import { expect } from 'vitest';
import { KernelError } from '../../src/kernels/backend';

/** `fn` throws a KernelError for `op` whose message starts with "<op>: " and has `fragment`. */
export function expectRefused(fn: () => unknown, op: string, fragment: string): void {
  let error: unknown = null;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, `${op} should refuse`).toBeInstanceOf(KernelError);
  const e = error as KernelError;
  expect(e.op).toBe(op);
  expect(e.message.startsWith(`${op}: `)).toBe(true);
  expect(e.message).toContain(fragment);
}
