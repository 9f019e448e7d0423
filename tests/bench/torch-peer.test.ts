// The shape the planner-step bench hands its PyTorch peer must be the planner's own: the same
// sizes as the config gives and the targets where the batch has them (python is not needed).
import { describe, expect, it } from 'vitest';
import { stepProblem } from '../../src/bench/cpu/step-batch';
import { torchStepShape } from '../../src/bench/cpu/torch-peer';
import { loadVocabFile } from '../../src/rl/data/vocab-node';

describe('PyTorch peer shape', () => {
  const vocab = loadVocabFile();
  const B = 4;
  const { config, dims, batch } = stepProblem('quick-demo', vocab, B);

  it("matches the quick-demo planner's config and the batch's targets", () => {
    const s = torchStepShape(dims, batch);
    expect(s).toMatchObject({ V: vocab.size, C: config.C, NH: config.NH, L: config.L, B });
    expect(s.FC).toBe(config.mlpRatio * config.C);
    expect(s.P).toBe(config.promptLen);
    expect(s.T).toBe(config.promptLen + config.forecastTokens - 1);
    expect(s.E).toBe(config.maxElements);
    expect(s.targetsPerSequence.reduce((a, n) => a + n, 0)).toBe(batch.validTargets);
    for (const [b, n] of s.targetsPerSequence.entries()) {
      const row = Array.from(batch.targets.subarray(b * s.T, (b + 1) * s.T));
      expect(row.filter((t) => t >= 0)).toHaveLength(n);
      expect(row[s.P - 2 + n]).toBeGreaterThanOrEqual(0);
      expect(row[s.P - 1 + n] ?? -1).toBe(-1);
    }
    expect(Math.max(...s.targetsPerSequence)).toBeLessThanOrEqual(config.forecastTokens);
  });

  it('names the sequence and position of a target the peer would not train on', () => {
    const targets = batch.targets.slice();
    targets[dims.T + 3] = 5;
    expect(() => torchStepShape(dims, { ...batch, targets })).toThrow(/sequence 1 .*position 3/);
  });

  it('refuses a batch that is not whole sequences', () => {
    const tokens = batch.tokens.subarray(1);
    expect(() => torchStepShape(dims, { ...batch, tokens })).toThrow(/not whole rows/);
  });
});
