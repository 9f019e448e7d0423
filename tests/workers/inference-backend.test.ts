// The Agent viewer's backend: a software WebGPU adapter (SwiftShader, what this machine has)
// or none at all gives wasm, with the reason in the decision.
import { describe, expect, it } from 'vitest';
import { nodeGpu } from '../../src/kernels/node';
import { acquireInferenceBackend } from '../../src/workers/trainer/backend';

describe('acquireInferenceBackend', () => {
  it('takes wasm over a software adapter and says why', async () => {
    const { be, report } = await acquireInferenceBackend(nodeGpu());
    expect(be.kind).toBe('wasm');
    expect(report.decision.chosen).toBe('wasm');
    expect(report.decision.reason).toMatch(/adapter is software .*; wasm is faster/);
    be.destroy();
  });

  it('takes wasm when there is no WebGPU, naming what is missing', async () => {
    const { be, report } = await acquireInferenceBackend(undefined);
    expect(be.kind).toBe('wasm');
    expect(report.decision.reason).toMatch(/WebGPU is unavailable: .*navigator\.gpu/);
    be.destroy();
  });
});
