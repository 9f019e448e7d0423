// The multiply-add counter behind the benchmark's stage-1 ceiling: exact counts for single ops
// against hand-worked figures, calls still computing through the wrapper, and a planner step's
// count scaling with its batch as every op of it does.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import {
  attentionMultiplyAdds,
  totalMultiplyAdds,
  WorkCounter,
} from '../../src/kernels/work-count';
import { preset } from '../../src/rl/model/config';
import { Planner, type OptimizerSettings } from '../../src/rl/model/planner';
import { testVocab, worldBatch } from '../rl/model-fixtures';

const OPT: OptimizerSettings = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 };

describe('WorkCounter', () => {
  it('counts M·N·K per matmul in every transpose and batch form, and still computes', async () => {
    const cpu = new CpuBackend();
    const counter = new WorkCounter(cpu);
    const be = counter.backend;
    const a = be.tensor([3, 4]);
    const b = be.tensor([4, 5]);
    be.write(
      a,
      Float32Array.from({ length: 12 }, (_, i) => i),
    );
    be.write(
      b,
      Float32Array.from({ length: 20 }, (_, i) => 1 - i / 10),
    );
    const out = be.tensor([3, 5]);
    be.matmul(out, a, b);
    expect(counter.take()).toEqual({ matmul: 3 * 5 * 4 });
    const direct = cpu.tensor([3, 5]);
    cpu.matmul(direct, a, b);
    expect(await be.read(out)).toEqual(await cpu.read(direct));

    const aT = be.tensor([4, 3]); // (K, M) for transA
    const bT = be.tensor([5, 4]); // (N, K) for transB
    be.matmul(out, aT, bT, { transA: true, transB: true });
    const batched = be.tensor([2, 3, 5]);
    be.matmul(batched, be.tensor([2, 3, 4]), be.tensor([2, 4, 5]));
    expect(counter.take()).toEqual({ matmul: 60 + 2 * 60 });
    expect(counter.take()).toEqual({});
  });

  it('counts attention over the causally visible keys only', () => {
    const s = { B: 2, T: 5, NH: 3, HS: 4 };
    let pairs = 0;
    for (let q = 0; q < s.T; q++) for (let k = 0; k <= q; k++) pairs++;
    // q·k and p·v per visible pair, per head and sequence.
    expect(attentionMultiplyAdds(s)).toBe(2 * s.B * s.NH * pairs * s.HS);
  });

  it('counts a planner training step in proportion to its batch', () => {
    const config = preset('tiny');
    const V = testVocab().size;
    const stepWork = (B: number) => {
      const counter = new WorkCounter(new CpuBackend());
      const planner = new Planner(counter.backend, config, V, B);
      planner.writeBatch(worldBatch(config, B));
      counter.take();
      planner.trainStep(OPT, 1);
      const work = counter.take();
      planner.release();
      return work;
    };
    const two = stepWork(2);
    const four = stepWork(4);
    expect(two.matmul).toBeGreaterThan(0);
    expect(two.attention).toBeGreaterThan(0);
    expect(two.attentionBackward).toBe(2 * two.attention!);
    expect(totalMultiplyAdds(four)).toBe(2 * totalMultiplyAdds(two));
  });
});
