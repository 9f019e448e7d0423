// The worker half of the views (src/workers/inspect/service.ts) on the CPU backend: an agent
// episode with the planner's own horizon and the reactive H = 1 on the same task and seed, and
// an explained group whose weights are put back so a second request gives the same answer.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { captureCheckpoint } from '../../src/rl/model/checkpoint';
import { PRESETS } from '../../src/rl/model/config';
import { DEFAULT_OPTIMIZER, Planner } from '../../src/rl/model/planner';
import { Rng } from '../../src/rng';
import { InspectService } from '../../src/workers/inspect/service';
import { testVocab } from './model-fixtures';

async function service(): Promise<InspectService> {
  const be = new CpuBackend();
  const planner = new Planner(be, { ...PRESETS.tiny, horizon: 3 }, testVocab().size, 1);
  planner.init(new Rng(3));
  const weights = await captureCheckpoint(planner, testVocab(), DEFAULT_OPTIMIZER);
  planner.release();
  return new InspectService(be, testVocab(), weights, {
    kind: 'random',
    label: 'test',
    note: null,
  });
}

describe('InspectService', () => {
  it('plays the anticipatory and the reactive agent on the same task and seed', async () => {
    const s = await service();
    const req = { template: 'settings.wifi', seed: 2, temperature: 0, maxSteps: 3 } as const;
    const anticipatory = await s.agentEpisode({ ...req, H: 'model' });
    const reactive = await s.agentEpisode({ ...req, H: 1 });
    expect(anticipatory.trace.H).toBe(3);
    expect(reactive.trace.H).toBe(1);
    expect(anticipatory.trace.instruction).toBe(reactive.trace.instruction);
    expect(anticipatory.trace.steps[0].obs).toEqual(reactive.trace.steps[0].obs);
    expect(anticipatory.trace.steps.length).toBeGreaterThan(0);
    expect(anticipatory.trace.steps.length).toBeLessThanOrEqual(3);
    for (const st of reactive.trace.steps) {
      expect(st.forecast.steps.length).toBeLessThanOrEqual(1);
      expect(st.reward.perStep.length).toBe(1);
    }
    expect(anticipatory.grounder).toMatch(/^stand-in/);
    expect(anticipatory.weights.horizon).toBe(3);
    s.release();
  });

  it('explains a group and leaves the weights as they were', async () => {
    const s = await service();
    const req = {
      template: 'settings.brightness',
      seed: 1,
      t: 1,
      G: 3,
      temperature: 1,
      lr: 1e-2,
      clipEps: 0.2,
      beta: 0.01,
      sample: 0,
    };
    const a = await s.explain(req);
    const b = await s.explain(req);
    expect(a.t).toBe(1);
    expect(a.explanation.forecasts.length).toBe(3);
    expect(a.reference).toMatch(/^click \[/);
    // Same prompt, same draw, unchanged weights: the same numbers.
    expect(b.explanation.forecasts.map((f) => f.logpBefore)).toEqual(
      a.explanation.forecasts.map((f) => f.logpBefore),
    );
    const c = await s.explain({ ...req, sample: 1 });
    expect(c.explanation.forecasts.map((f) => f.text)).not.toEqual(
      a.explanation.forecasts.map((f) => f.text),
    );
    s.release();
  });
});
