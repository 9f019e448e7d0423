// Op cases shared by the unit tests (Node) and the in-browser kernel self-test (worker):
// each case runs one op on a backend with inputs drawn from a seeded Rng and returns the
// outputs read back. Running the same case with the same seed on WebGPU and on the CPU
// reference and comparing the outputs is the parity check.
//
// Cases live next to their op as `src/kernels/cases/<op>.cases.ts`, each exporting
// `cases: OpCase[]`; they are collected with import.meta.glob so adding an op touches no
// shared file.
import type { Backend } from './backend';
import { Rng } from '../rng';

export interface OpCase {
  /** Op name as in the Backend interface, e.g. 'matmul' or 'layerNormBackward'. */
  op: string;
  /** Human-readable case name with the shapes, e.g. 'matmul 257×129×65 transB'. */
  name: string;
  /** Max relative error allowed against the reference (default 1e-4). */
  tolerance?: number;
  run(backend: Backend, rng: Rng): Promise<Float32Array[]>;
}

export interface CaseResult {
  op: string;
  name: string;
  passed: boolean;
  maxRelError: number;
  ms: number;
  error?: string;
}

/** max |a−b| / max(|b|, 1e-2 · scale) — robust to near-zero entries of well-conditioned outputs. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  const floor = Math.max(1e-2 * scale, 1e-6);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      if (a !== b) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(b), floor));
  }
  return worst;
}

export function allCases(): OpCase[] {
  const modules = import.meta.glob<{ cases: OpCase[] }>('./cases/*.cases.ts', { eager: true });
  return Object.keys(modules)
    .sort()
    .flatMap((path) => modules[path].cases);
}

/** Run every case on `backend` and on `reference` with the same seed and compare. */
export async function runSelfTest(
  backend: Backend,
  reference: Backend,
  onResult?: (r: CaseResult) => void,
  seed = 1234,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const c of allCases()) {
    const t0 = performance.now();
    let result: CaseResult;
    try {
      const got = await c.run(backend, new Rng(seed));
      const want = await c.run(reference, new Rng(seed));
      let err = got.length === want.length ? 0 : Infinity;
      for (let i = 0; i < Math.min(got.length, want.length); i++) {
        err = Math.max(err, maxRelativeError(got[i], want[i]));
      }
      const tol = c.tolerance ?? 1e-4;
      result = {
        op: c.op,
        name: c.name,
        passed: err <= tol,
        maxRelError: err,
        ms: performance.now() - t0,
      };
      if (!result.passed) result.error = `max relative error ${err.toExponential(2)} > ${tol}`;
    } catch (e) {
      result = {
        op: c.op,
        name: c.name,
        passed: false,
        maxRelError: Infinity,
        ms: performance.now() - t0,
        error: e instanceof Error ? e.message : String(e),
      };
    }
    results.push(result);
    onResult?.(result);
  }
  return results;
}
