// The probe that backend choice 'auto' times (src/kernels/choice.ts): real planner training
// steps of the run's model shape on a small batch. Inputs stay zero (valid ids), which costs
// the same as real data; one warm-up step (pipelines, JIT), then the median of the timed ones.
import type { StepProbe } from '../../kernels/choice';
import { Rng } from '../../rng';
import type { PlannerConfig } from './config';
import { Planner, type OptimizerSettings } from './planner';

const OPT: OptimizerSettings = { lr: 1e-4, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 };

export function plannerStepProbe(
  config: PlannerConfig,
  vocabSize: number,
  B = 2,
  timedSteps = 3,
): StepProbe {
  return async (be) => {
    const planner = new Planner(be, config, vocabSize, B);
    try {
      planner.init(new Rng(1));
      const step = async (): Promise<number> => {
        const t0 = performance.now();
        planner.trainStep(OPT, 1);
        await be.read(planner.acts.loss);
        return performance.now() - t0;
      };
      await step();
      const ms: number[] = [];
      for (let i = 0; i < timedSteps; i++) ms.push(await step());
      ms.sort((a, b) => a - b);
      return ms[Math.floor(ms.length / 2)];
    } finally {
      planner.release();
    }
  };
}
