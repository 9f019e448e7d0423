// Backend choice 'auto': the fastest measured candidate wins whatever it is, the others are
// destroyed, a candidate that fails is recorded with its error, and the reason names every
// timing; a real planner step probe runs on the wasm backend.
import { describe, expect, it } from 'vitest';
import type { Backend, BackendKind } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { pickFastest, type BackendCandidate } from '../../src/kernels/choice';
import { WasmBackend } from '../../src/kernels/wasm';
import { PRESETS } from '../../src/rl/model/config';
import { plannerStepProbe } from '../../src/rl/model/step-probe';

/** A CPU backend posing as `kind`, whose probe "takes" `ms`; records whether it was destroyed. */
function fake(kind: BackendKind, ms: number, destroyed: Set<string>): BackendCandidate {
  return {
    kind,
    create: async () => {
      const be = new CpuBackend();
      Object.assign(be, { kind, description: `${kind} (fake, ${ms} ms)`, ms });
      be.destroy = () => destroyed.add(kind);
      return be;
    },
  };
}
const probe = async (be: Backend) => (be as unknown as { ms: number }).ms;

describe('pickFastest', () => {
  it('keeps the fastest and destroys the others, in either order', async () => {
    for (const [a, b] of [
      [5, 9],
      [9, 5],
    ]) {
      const destroyed = new Set<string>();
      const { be, decision } = await pickFastest(
        [fake('wasm', a, destroyed), fake('webgpu', b, destroyed)],
        probe,
      );
      const winner = a < b ? 'wasm' : 'webgpu';
      expect(be.kind).toBe(winner);
      expect(decision.chosen).toBe(winner);
      expect(decision.setting).toBe('auto');
      expect([...destroyed]).toEqual([a < b ? 'webgpu' : 'wasm']);
      expect(decision.timings.map((t) => t.stepMs)).toEqual([a, b]);
      expect(decision.reason).toContain(`wasm ${a.toFixed(1)} ms/step`);
      expect(decision.reason).toContain(`→ ${winner}`);
    }
  });

  it('records a candidate that cannot be created and goes on', async () => {
    const destroyed = new Set<string>();
    const broken: BackendCandidate = {
      kind: 'webgpu',
      create: () => Promise.reject(new Error('no adapter')),
    };
    const { be, decision } = await pickFastest([broken, fake('wasm', 3, destroyed)], probe);
    expect(be.kind).toBe('wasm');
    expect(decision.timings[0]).toMatchObject({
      kind: 'webgpu',
      stepMs: null,
      error: 'no adapter',
    });
    expect(decision.reason).toContain('webgpu unavailable (no adapter)');
  });

  it('fails with every error when nothing works', async () => {
    const broken = (kind: BackendKind): BackendCandidate => ({
      kind,
      create: () => Promise.reject(new Error(`${kind} broken`)),
    });
    await expect(pickFastest([broken('wasm'), broken('webgpu')], probe)).rejects.toThrow(
      /wasm broken.*webgpu broken/,
    );
  });

  it('times real planner steps on the wasm backend', async () => {
    const { be, decision } = await pickFastest(
      [{ kind: 'wasm', create: () => WasmBackend.create() }],
      plannerStepProbe(PRESETS.tiny, 50, 2, 1),
    );
    expect(be.kind).toBe('wasm');
    expect(decision.timings[0].stepMs).toBeGreaterThan(0);
    be.destroy();
  });
});
