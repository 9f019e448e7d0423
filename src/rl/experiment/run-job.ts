// One job of an experiment, in this process: for each of its methods, train the method's
// stages from the stage-0 checkpoint (through the trainer, exactly as `npm run train` does),
// then evaluate the result on the seven suites with their own metrics and measure its greedy
// forecasts on held-out prompts (repeat rate, grounded first-step success). `full` continues
// from the `stage1` checkpoint trained earlier in the same job.
import type { Backend } from '../../kernels/backend';
import { getSuite, type SuiteName, type SuiteResult } from '../../envs/suites';
import { render } from '../../envs/render/render';
import { plannerConfigOf, validateSettings, type TrainSettings } from '../config/schema';
import { PromptSource } from '../data/prompts';
import type { Vocab } from '../../text/vocab';
import type { CheckpointState } from '../model/checkpoint';
import { bootstrapMean, checkpointAgent, evaluateSuite } from '../eval';
import { scoreGrounded, sharedFrozenGrounder } from '../grounded';
import { STAGE } from '../stage-list';
import { train } from '../trainer';
import { methodSpec, type ExperimentPreset, type Job, type MethodSpec } from './plan';
import { repeatRate } from './repeat';

export interface MethodResult {
  method: string;
  seed: number;
  horizon: number;
  /**
   * Suite → metric → value in [0, 1] (the suites' headline metrics and a few more, and the
   * headline's seeded 95 % bootstrap interval over this seed's units: ci95Lo, ci95Hi).
   */
  suites: Partial<Record<SuiteName, Record<string, number>>>;
  /** Suite → per-unit headline outcomes (episodes, logged steps, tool tasks), for the table. */
  outcomes?: Partial<Record<SuiteName, number[]>>;
  /** Greedy forecasts on held-out prompts of the training suites. */
  forecasts: { prompts: number; repeatRate: number; groundedSuccess: number; format: number };
  /** Mean training reward of the last 5 updates of each stage trained. */
  trainReward: Record<string, number>;
  /** Learning curves of each stage trained ('stage1', 'stage2'), for the figures. */
  curves?: Record<string, StageCurve>;
  trainSeconds: number;
  evalSeconds: number;
}

/** Per-update training series of one stage, and its held-out evaluations along the way. */
export interface StageCurve {
  update: number[];
  reward: number[];
  /** Share of sampled forecast steps identical to the step before. */
  repeatRate: number[];
  clipFraction: number[];
  ratioDeviation: number[];
  kl: number[];
  /** The trainer's held-out evaluations (run.evalEvery), by update. */
  evaluations: { update: number; metrics: Record<string, Record<string, number>> }[];
}

function emptyCurve(): StageCurve {
  return {
    update: [],
    reward: [],
    repeatRate: [],
    clipFraction: [],
    ratioDeviation: [],
    kl: [],
    evaluations: [],
  };
}

export interface ProgressEvent {
  method: string;
  stage?: number;
  update?: number;
  reward?: number;
  phase: string;
}

export interface JobContext {
  be: Backend;
  vocab: Vocab;
  preset: ExperimentPreset;
  /** The stage-0 checkpoint. */
  init: CheckpointState;
  /** Called after every training update and every evaluated suite. */
  onProgress?: (event: ProgressEvent) => void;
}

/** Plain deep merge of nested settings objects (arrays and scalars replace). */
export function mergeSettings(...layers: object[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers)
    for (const [k, v] of Object.entries(layer)) {
      const prev = out[k];
      out[k] =
        v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object'
          ? mergeSettings(prev as object, v as object)
          : v;
    }
  return out;
}

export function methodSettings(
  preset: ExperimentPreset,
  m: MethodSpec,
  seed: number,
): TrainSettings {
  return validateSettings(mergeSettings(preset.settings, m.overrides, { run: { seed } }));
}

/** The preset's settings with the model shape of the stage-0 checkpoint every chain starts from. */
export function presetWithModel(preset: ExperimentPreset, init: CheckpointState): ExperimentPreset {
  const { horizon: _h, ...shape } = init.config;
  void _h;
  const model = { ...preset.settings.model, ...shape, horizon: preset.horizon };
  return { ...preset, settings: { ...preset.settings, model } };
}

/** The stage-0 weights under another horizon (H changes no parameter, only what is parsed). */
function withHorizon(state: CheckpointState, horizon: number): CheckpointState {
  return state.config.horizon === horizon
    ? state
    : { ...state, config: { ...state.config, horizon } };
}

export async function runJob(job: Job, ctx: JobContext): Promise<MethodResult[]> {
  const { be, vocab, preset } = ctx;
  const results: MethodResult[] = [];
  let stage1State: CheckpointState | null = null;
  for (const id of job.methods) {
    const m = methodSpec(id);
    const settings = methodSettings(preset, m, job.seed);
    const H = plannerConfigOf(settings).horizon;
    let state = withHorizon(ctx.init, H);
    const trainReward: Record<string, number> = {};
    const curves: Record<string, StageCurve> = {};
    const t0 = performance.now();
    for (const stage of m.stages) {
      if (id === 'full' && stage === STAGE.trajectory) {
        if (!stage1State) throw new Error("job: 'full' needs 'stage1' earlier in the same job");
        state = stage1State;
        continue;
      }
      const rewards: number[] = [];
      const curve = (curves[`stage${stage}`] = emptyCurve());
      let final: CheckpointState | null = null;
      await train({
        be,
        settings,
        stage,
        vocab,
        init: state,
        onMetrics: (u) => {
          rewards.push(u.reward);
          curve.update.push(u.update);
          curve.reward.push(u.reward);
          curve.repeatRate.push(u.rewardComponents.repeatRate ?? NaN);
          curve.clipFraction.push(u.clipFraction);
          curve.ratioDeviation.push(u.ratioDeviation ?? NaN);
          curve.kl.push(u.kl);
          if (u.evaluation) curve.evaluations.push({ update: u.update, metrics: u.evaluation });
          ctx.onProgress?.({
            method: id,
            stage,
            update: u.update,
            phase: 'train',
            reward: u.reward,
          });
        },
        saveCheckpoint: async (kind, _update, s) => {
          if (kind === 'final') final = s;
        },
      });
      if (!final) throw new Error(`job: stage ${stage} of ${id} saved no final checkpoint`);
      state = final;
      const last = rewards.slice(-5);
      trainReward[`stage${stage}`] = last.reduce((a, b) => a + b, 0) / Math.max(1, last.length);
    }
    if (id === 'stage1') stage1State = state;
    const trainSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const evaluated = await evaluateMethod(state, settings, ctx, id);
    results.push({
      method: id,
      seed: job.seed,
      horizon: H,
      ...evaluated,
      trainReward,
      curves,
      trainSeconds,
      evalSeconds: (performance.now() - t1) / 1000,
    });
  }
  return results;
}

/** The metrics of one suite result as a flat map (values in [0, 1]). */
export function suiteMetrics(r: SuiteResult): Record<string, number> {
  switch (r.kind) {
    case 'online':
      return { successRate: r.successRate };
    case 'offline':
      return {
        stepSuccess: r.stepSuccessRate,
        elementAccuracy: r.elementAccuracy,
        operationF1: r.operationF1,
      };
    case 'tools': {
      const out: Record<string, number> = {
        answerAccuracy: r.answerAccuracy,
        toolAccuracy: r.toolAccuracy,
        executionRate: r.executionRate,
      };
      for (const [level, v] of Object.entries(r.byLevel)) out[`level${level}`] = v.accuracy;
      return out;
    }
  }
}

export async function evaluateMethod(
  state: CheckpointState,
  settings: TrainSettings,
  ctx: JobContext,
  method: string,
): Promise<Pick<MethodResult, 'suites' | 'forecasts' | 'outcomes'>> {
  const { be, preset } = ctx;
  const grounder = await sharedFrozenGrounder();
  const H = state.config.horizon;
  const loaded = checkpointAgent(state, { be, grounder, H, batch: 16, seed: settings.run.seed });
  try {
    const suites: MethodResult['suites'] = {};
    const outcomes: NonNullable<MethodResult['outcomes']> = {};
    for (const suite of preset.suites) {
      const kind = getSuite(suite).kind;
      const count =
        kind === 'online'
          ? preset.eval.online
          : kind === 'offline'
            ? preset.eval.offline
            : preset.eval.tools;
      const result = await evaluateSuite(loaded.agent, suite, { count });
      suites[suite] = suiteMetrics(result);
      if (result.outcomes?.length) {
        outcomes[suite] = result.outcomes;
        const ci = bootstrapMean(result.outcomes, { seed: settings.run.seed });
        suites[suite] = { ...suites[suite], ci95Lo: ci.lo, ci95Hi: ci.hi };
      }
      ctx.onProgress?.({ method, phase: `eval ${suite}` });
    }
    const source = new PromptSource(settings.data, ctx.vocab, state.config);
    const prompts = source.heldOut(preset.forecastPrompts);
    const forecasts = await loaded.forecaster.forecast(
      prompts.map((p) => ({
        obs: p.obs,
        pixels: render(p.obs).pixels,
        instruction: p.instruction,
        results: p.results,
        executed: p.executed,
        H,
      })),
    );
    const scored = await scoreGrounded(
      ctx.vocab,
      forecasts.map((f) => f.ids ?? []),
      prompts,
      grounder,
      H,
      settings.reward.groundedFormatWeight,
    );
    return {
      suites,
      outcomes,
      forecasts: {
        prompts: prompts.length,
        repeatRate: repeatRate(forecasts.map((f) => f.steps)),
        groundedSuccess: scored.summary.success,
        format: scored.summary.format,
      },
    };
  } finally {
    loaded.release();
  }
}
