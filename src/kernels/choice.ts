// Which backend runs: a fixed kind, or 'auto' — time a short real step on every backend that
// can be created here and keep the fastest. A software adapter (SwiftShader) gets no special
// treatment either way: it wins only when it is measured faster. The timings are the reason
// the UI shows and the run records.
import type { Backend, BackendKind } from './backend';

export type BackendSetting = 'auto' | BackendKind;
export const BACKEND_SETTINGS: readonly BackendSetting[] = ['auto', 'webgpu', 'wasm', 'cpu'];

export interface BackendCandidate {
  kind: BackendKind;
  create(): Promise<Backend>;
}

export interface BackendTiming {
  kind: BackendKind;
  /** The backend's own description (adapter name, "WebAssembly SIMD, 1 thread"). */
  description: string;
  /** Median ms of the probe's timed steps; null when the backend could not be made or run. */
  stepMs: number | null;
  error?: string;
}

export interface BackendDecision {
  setting: BackendSetting;
  chosen: BackendKind;
  /** One entry per candidate tried (only the chosen one when the setting is fixed). */
  timings: BackendTiming[];
  /** A sentence for people: what ran how fast, and what was taken. */
  reason: string;
  /** A limitation of the chosen backend worth showing (e.g. wasm on one thread, and why). */
  note?: string;
}

/** Times one step on `be` (warm-up included inside) and resolves to ms per step. */
export type StepProbe = (be: Backend) => Promise<number>;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function describe(t: BackendTiming): string {
  return t.stepMs === null
    ? `${t.kind} unavailable (${t.error})`
    : `${t.kind} ${t.stepMs.toFixed(1)} ms/step`;
}

/**
 * Create each candidate, time `probe` on it, keep the fastest and destroy the others. Throws
 * only when no candidate works (with every error).
 */
export async function pickFastest(
  candidates: readonly BackendCandidate[],
  probe: StepProbe,
): Promise<{ be: Backend; decision: BackendDecision }> {
  const timings: BackendTiming[] = [];
  let best: { be: Backend; ms: number } | null = null;
  for (const c of candidates) {
    let be: Backend | null = null;
    try {
      be = await c.create();
      const ms = await probe(be);
      timings.push({ kind: c.kind, description: be.description, stepMs: ms });
      if (!best || ms < best.ms) {
        best?.be.destroy();
        best = { be, ms };
      } else be.destroy();
    } catch (e) {
      be?.destroy();
      timings.push({ kind: c.kind, description: c.kind, stepMs: null, error: message(e) });
    }
  }
  if (!best) {
    throw new Error(`no backend could run a step: ${timings.map(describe).join('; ')}`);
  }
  const chosen = best.be.kind;
  const reason = `measured a planner step: ${timings.map(describe).join(', ')} → ${chosen}`;
  return { be: best.be, decision: { setting: 'auto', chosen, timings, reason } };
}

/** The decision record of a fixed setting (nothing was timed). */
export function fixedDecision(
  setting: BackendSetting,
  be: Backend,
  note?: string,
): BackendDecision {
  return {
    setting,
    chosen: be.kind,
    timings: [{ kind: be.kind, description: be.description, stepMs: null }],
    reason: note ?? `${be.kind} was asked for`,
  };
}
