// What the planner can see and write, measured on the reference: for every state along the
// oracle's episodes of a suite, is the element its reference step acts on among the encoded
// elements (target coverage), and does the H-step reference forecast from there fit the
// forecast budget F (forecast fit)? `npm run world -- coverage` prints both per suite; the
// tests hold target coverage at 100 % and forecast fit at ≥ 99 %.
import type { RefStep } from '../../envs/oracle';
import { suiteInstances, type SuiteName } from '../../envs/suites';
import type { Split } from '../../envs/task';
import { generateToolTask } from '../../envs/tools';
import type { Element } from '../../envs/types';
import { writeForecast, type Vocab } from '../lang';
import { modelDims, type PlannerConfig } from '../model/config';
import { promptLayout } from '../model/encode';
import { walkOracleEpisode } from './episodes';
import { writeToolForecast } from './tool-prompts';

export interface SuiteCoverage {
  suite: SuiteName;
  split: Split;
  /** States whose reference step acts on an element of the screen. */
  targetSteps: number;
  /** …of which the element is encoded. */
  targetsEncoded: number;
  /** Reference forecasts (one per state) and, per H, how many fit forecastTokens. */
  forecasts: number;
  /** H → forecasts of H steps whose ids (with <eos>) are ≤ budget(H). */
  fits: Record<number, number>;
  /** H → the longest H-step forecast seen, in tokens. */
  longest: Record<number, number>;
}

/** The element a reference step acts on: the one with its box, else the one under its point. */
export function targetElement(elements: readonly Element[], ref: RefStep): Element | undefined {
  if (!ref.box) return undefined;
  const b = ref.box;
  const same = elements.find(
    (e) => e.box.x === b.x && e.box.y === b.y && e.box.w === b.w && e.box.h === b.h,
  );
  if (same) return same;
  const a = ref.action as { x?: number; y?: number };
  if (a.x === undefined || a.y === undefined) return undefined;
  return elements.find(
    (e) =>
      a.x! >= e.box.x && a.x! < e.box.x + e.box.w && a.y! >= e.box.y && a.y! < e.box.y + e.box.h,
  );
}

/**
 * Coverage of `count` instances of a suite's split under `config`; `budget(H)` is the forecast
 * budget checked for each H of `horizons`.
 */
export function measureCoverage(
  vocab: Vocab,
  config: PlannerConfig,
  suite: SuiteName,
  split: Split,
  count: number,
  horizons: readonly number[],
  budget: (H: number) => number,
): SuiteCoverage {
  const d = modelDims(config, vocab.size);
  const cov: SuiteCoverage = {
    suite,
    split,
    targetSteps: 0,
    targetsEncoded: 0,
    forecasts: 0,
    fits: {},
    longest: {},
  };
  const forecastAt = (ids: (H: number) => number[]) => {
    cov.forecasts++;
    for (const H of horizons) {
      const n = ids(H).length;
      cov.fits[H] = (cov.fits[H] ?? 0) + (n <= budget(H) ? 1 : 0);
      cov.longest[H] = Math.max(cov.longest[H] ?? 0, n);
    }
  };
  for (const inst of suiteInstances(suite, split, count)) {
    if (!('template' in inst)) {
      const task = generateToolTask(inst.suite, inst.seed, inst.level ? { level: inst.level } : {});
      for (let t = 0; t <= task.chain.length; t++)
        forecastAt((H) => writeToolForecast(vocab, task, t, H).ids);
      continue;
    }
    const record = walkOracleEpisode(inst.template, inst.seed, 'none', {});
    record.states.forEach((obs, t) => {
      const ref = record.refs[t];
      forecastAt((H) => writeForecast(vocab, record.refs.slice(t), H).ids);
      const target = targetElement(obs.elements, ref);
      if (!target) return;
      cov.targetSteps++;
      const input = { obs, instruction: record.instruction, executed: record.refs.slice(0, t) };
      if (promptLayout(vocab, config, d, input).shown.includes(target)) cov.targetsEncoded++;
    });
  }
  return cov;
}
