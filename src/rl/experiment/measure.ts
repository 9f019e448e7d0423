// The rates behind an experiment's time estimate (plan.ts WorkRates), measured on this machine
// in this process, as one job of the preset runs: its backend, the stage-0 checkpoint, the
// `stage1` and `stage2` methods' settings. CPU seconds of this process per unit of work: a
// job has a core to itself (one job per core), so on an otherwise idle machine that is its
// wall clock, and other load on a shared machine does not inflate it.
//
//   stage 1 / stage 2: `updates` timed updates after one untimed (set-up, first prompts);
//   evaluation: every suite of the preset with small counts, then the held-out forecasts,
//   each timed between the job's own progress events, per unit (episode, logged step, task,
//   prompt) the suites report.
import { cpuTimeMs } from '../../kernels/profile';
import { getSuite } from '../../envs/suites';
import { STAGE, type Stage } from '../stage-list';
import { train } from '../trainer';
import { methodSettings, evaluateMethod, type JobContext } from './run-job';
import { methodSpec, type WorkRates } from './plan';

export interface MeasureCounts {
  /** Timed updates per stage. */
  updates: number;
  /** Units per suite (episodes, logged steps, tasks) and held-out forecast prompts. */
  online: number;
  offline: number;
  tools: number;
  forecasts: number;
}

// 16 online episodes per suite fill one agent batch (evaluateMethod's 16), as a real
// evaluation of 100 does; 4 measured half-empty batches, 3× the per-episode cost.
export const MEASURE_COUNTS: MeasureCounts = {
  updates: 3,
  online: 16,
  offline: 24,
  tools: 12,
  forecasts: 32,
};

/** Median CPU seconds of `updates` stage updates after an untimed first one. */
async function updateSeconds(ctx: JobContext, stage: Stage, updates: number): Promise<number> {
  const settings = methodSettings(ctx.preset, methodSpec(`stage${stage}`), 1);
  const marks: number[] = [];
  await train({
    be: ctx.be,
    settings: { ...settings, run: { ...settings.run, evalEvery: 0, checkpointSeconds: 0 } },
    stage,
    vocab: ctx.vocab,
    init: ctx.init,
    updates: updates + 1,
    onMetrics: () => marks.push(cpuTimeMs()),
  });
  const spans = marks.slice(1).map((t, i) => (t - marks[i]) / 1000);
  return spans.sort((a, b) => a - b)[Math.floor(spans.length / 2)];
}

/** The preset's rates, measured as the header says; `measured` names the conditions. */
export async function measureRates(
  ctx: JobContext,
  counts: MeasureCounts = MEASURE_COUNTS,
): Promise<WorkRates> {
  if (!Number.isFinite(cpuTimeMs())) throw new Error('measureRates: needs Node (process CPU time)');
  const stage1Update = await updateSeconds(ctx, STAGE.trajectory, counts.updates);
  const stage2Update = await updateSeconds(ctx, STAGE.grounded, counts.updates);
  const preset = {
    ...ctx.preset,
    eval: { online: counts.online, offline: counts.offline, tools: counts.tools },
    forecastPrompts: counts.forecasts,
  };
  const seconds = { online: 0, offline: 0, tools: 0 };
  let last = cpuTimeMs();
  const spent: Record<string, number> = {};
  const evaluated = await evaluateMethod(
    ctx.init,
    methodSettings(preset, methodSpec('sft'), 1),
    {
      ...ctx,
      preset,
      onProgress: (e) => {
        const now = cpuTimeMs();
        spent[e.phase.replace(/^eval /, '')] = (now - last) / 1000;
        last = now;
      },
    },
    'sft',
  );
  const forecastSeconds = (cpuTimeMs() - last) / 1000;
  const units = { online: 0, offline: 0, tools: 0 };
  for (const suite of preset.suites) {
    const kind = getSuite(suite).kind;
    const n = evaluated.outcomes?.[suite]?.length ?? preset.eval[kind];
    seconds[kind] += spent[suite] ?? 0;
    units[kind] += n;
  }
  const per = (s: number, n: number) => (n > 0 ? s / n : 0);
  return {
    stage1Update,
    stage2Update,
    onlineEpisode: per(seconds.online, units.online),
    offlineStep: per(seconds.offline, units.offline),
    toolTask: per(seconds.tools, units.tools),
    forecastPrompt: per(forecastSeconds, evaluated.forecasts.prompts),
    measured:
      `CPU seconds per unit, ${ctx.be.description}, one process; ` +
      `${counts.updates} timed updates per stage (median), ${units.online} online episodes, ` +
      `${units.offline} offline steps, ${units.tools} tool tasks, ${evaluated.forecasts.prompts} forecast prompts`,
  };
}
