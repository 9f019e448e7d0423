// Stage 0: the greedy scoring under teacher forcing on hand-made logits, and the learning test
// (the SFT loss falls by a set margin on the 'ci-tiny' preset, CPU backend, in CI time).
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { UpdateMetrics } from '../../src/rl/metrics';
import { scoreForecast, type ForecastScores } from '../../src/rl/sft';
import { train } from '../../src/rl/trainer';
import { frozenVocab, tinySettings } from './train-fixtures';

describe('scoreForecast', () => {
  // T = 4, V = 3, P = 2: positions 1, 2, 3 predict target[0], target[1], target[2].
  const T = 4;
  const V = 3;
  const P = 2;
  const logitsFor = (argmax: number[]) => {
    const l = new Float32Array(T * V);
    argmax.forEach((a, j) => (l[(P - 1 + j) * V + a] = 1));
    return l;
  };
  const score = (argmax: number[], target: number[], stepEnd: number) => {
    const s: ForecastScores = {
      tokensCorrect: 0,
      tokens: 0,
      firstTypeCorrect: 0,
      firstStepCorrect: 0,
      forecastCorrect: 0,
    };
    scoreForecast(logitsFor(argmax), 0, T, V, P, target, stepEnd, s);
    return s;
  };

  it('counts tokens, the first type, the first step and the whole forecast', () => {
    expect(score([2, 1, 0], [2, 1, 0], 2)).toEqual({
      tokensCorrect: 3,
      tokens: 3,
      firstTypeCorrect: 1,
      firstStepCorrect: 1,
      forecastCorrect: 1,
    });
    // A wrong token after the first step spoils the forecast, not the step.
    expect(score([2, 1, 1], [2, 1, 0], 2)).toEqual({
      tokensCorrect: 2,
      tokens: 3,
      firstTypeCorrect: 1,
      firstStepCorrect: 1,
      forecastCorrect: 0,
    });
    // A wrong token inside the first step spoils both (the type was right).
    expect(score([2, 0, 0], [2, 1, 0], 2)).toEqual({
      tokensCorrect: 2,
      tokens: 3,
      firstTypeCorrect: 1,
      firstStepCorrect: 0,
      forecastCorrect: 0,
    });
    // A wrong type: nothing of the first step counts.
    expect(score([1, 1, 0], [2, 1, 0], 2).firstTypeCorrect).toBe(0);
  });
});

describe('SFT learning', () => {
  it("lowers the training and held-out loss on 'ci-tiny' (CPU)", async () => {
    const metrics: UpdateMetrics[] = [];
    const result = await train({
      be: new CpuBackend(),
      settings: tinySettings({ run: { sftUpdates: 40, evalSize: 12 } }),
      stage: 0,
      vocab: frozenVocab(),
      evaluateAtStart: true,
      onMetrics: (m) => metrics.push(m),
    });
    expect(metrics.map((m) => m.update)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const mean = (ms: UpdateMetrics[]) => ms.reduce((a, m) => a + m.loss, 0) / ms.length;
    const first = mean(metrics.slice(0, 5));
    const last = mean(metrics.slice(-5));
    expect(first).toBeGreaterThan(6); // ≈ ln V at initialisation
    expect(last).toBeLessThan(first - 2);
    const before = result.startEvaluation!['held-out'];
    const after = result.finalEvaluation!['held-out'];
    expect(after.loss).toBeLessThan(before.loss - 1.5);
    expect(after.tokenAccuracy).toBeGreaterThan(before.tokenAccuracy + 0.2);
    for (const m of metrics) {
      expect(m.stage).toBe(0);
      expect(Number.isNaN(m.reward)).toBe(true);
      expect(m.gradNorm).toBeGreaterThan(0);
      expect(m.tokensPerSecond).toBeGreaterThan(0);
    }
    expect(metrics.at(-1)!.evaluation).toEqual(result.finalEvaluation);
  });
});
