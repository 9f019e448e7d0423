// What `npm run experiment` runs: the methods and ablations of the paper's table in miniature,
// each a chain of stages from the shipped stage-0 checkpoint, grouped into jobs that one
// process runs (a job shares its stage-1 checkpoint between the methods that start from it).
//
//   method          stages                    horizon H   notes
//   sft             (the stage-0 checkpoint)  4
//   reactive        2                         1           grounded single-step reward
//   stage1          1                         4
//   stage2          2                         4           "stage 2 only", from stage 0
//   full            1 → 2                     4           TraceR1
//   H=h (ablation)  1                         1,3,5,10,15 H=4 (the shipped one) is `stage1`
//   gamma=1         1                         4           γ = 1.0 (default 0.8 is `stage1`)
//   rep=0           1                         4           λ_rep = 0 (default is `stage1`)
//
// Ablations vary stage 1 only (the knobs are stage-1 reward settings and the horizon), and are
// compared with `stage1`. A changed horizon changes the prompts' targets, the reward's horizon
// and the agent's; the stage-0 weights do not depend on H, so they start every horizon.
import type { DeepPartial, TrainSettings } from '../config/schema';
import type { SuiteName } from '../../envs/suites';
import { STAGE, type Stage } from '../stage-list';

export type PresetName = 'smoke' | 'small' | 'claims' | 'full';

export interface MethodSpec {
  id: string;
  label: string;
  /** Stages trained after the SFT warm start, in order (empty: its checkpoint itself). */
  stages: Stage[];
  /** Settings changed from the preset's (e.g. { model: { horizon: 1 } }). */
  overrides: DeepPartial<TrainSettings>;
  /** Main methods form the first table; ablations the second. */
  kind: 'method' | 'ablation';
}

const H = (h: number): DeepPartial<TrainSettings> => ({ model: { horizon: h } });
const { trajectory: T, grounded: G } = STAGE;

export const METHODS: readonly MethodSpec[] = [
  { id: 'sft', label: 'SFT only (stage 0)', stages: [], overrides: {}, kind: 'method' },
  {
    id: 'reactive',
    label: 'Reactive GRPO (H = 1, grounded)',
    stages: [G],
    overrides: H(1),
    kind: 'method',
  },
  { id: 'stage1', label: 'Stage 1 only', stages: [T], overrides: {}, kind: 'method' },
  { id: 'stage2', label: 'Stage 2 only', stages: [G], overrides: {}, kind: 'method' },
  { id: 'full', label: 'Full (0 → 1 → 2)', stages: [T, G], overrides: {}, kind: 'method' },
  ...[1, 3, 5, 10, 15].map((h): MethodSpec => ({
    id: `H=${h}`,
    label: `Stage 1, H = ${h}`,
    stages: [T],
    overrides: H(h),
    kind: 'ablation',
  })),
  {
    id: 'gamma=1',
    label: 'Stage 1, γ = 1.0',
    stages: [T],
    overrides: { reward: { gamma: 1 } },
    kind: 'ablation',
  },
  {
    id: 'rep=0',
    label: 'Stage 1, λ_rep = 0',
    stages: [T],
    overrides: { reward: { repetitionPenalty: 0 } },
    kind: 'ablation',
  },
];

/** Methods one process runs in order; `full` continues from `stage1`'s checkpoint. */
export const JOB_GROUPS: readonly (readonly string[])[] = [
  ['sft', 'stage1', 'full'],
  ['stage2', 'reactive'],
  ['H=1', 'H=3', 'H=5'],
  // Apart: the two longest runs, so that a sweep spreads them over two slots.
  ['H=10'],
  ['H=15'],
  ['gamma=1', 'rep=0'],
];

export interface EvalSizes {
  /** Episodes per online suite. */
  online: number;
  /** Logged steps (at least) per offline suite. */
  offline: number;
  /** Tasks per tool suite. */
  tools: number;
}

export interface ExperimentPreset {
  name: PresetName;
  /** The training settings every method starts from (then its overrides). */
  settings: DeepPartial<TrainSettings>;
  /** The stage-0 checkpoint every chain starts from (its shape sets the model settings). */
  init: string;
  /** The horizon of the main methods (the ablations change it). */
  horizon: number;
  eval: EvalSizes;
  /** Held-out prompts for the forecast statistics (repeat rate, grounded success). */
  forecastPrompts: number;
  suites: readonly SuiteName[];
}

const GUI_SUITES = [
  'mobile-online',
  'desktop-online',
  'mobile-offline-high',
  'cross-app-offline',
  'web-offline',
] as const;

export const ALL_SUITES: readonly SuiteName[] = [...GUI_SUITES, 'tools', 'tools-multihop'];

export const EXPERIMENT_PRESETS: Record<PresetName, ExperimentPreset> = {
  // The smallest sweep that exercises every piece (the sweep test runs it through GNU
  // parallel): one update per stage, a few evaluation units; its numbers mean nothing. On
  // wasm, like the real presets (the CPU reference took three times as long).
  smoke: {
    name: 'smoke',
    settings: {
      grpo: { groupSize: 2, promptsPerUpdate: 1, minibatches: 2 },
      optimiser: { lr: 3e-4, warmupUpdates: 0 },
      data: { suites: ['mobile-online'] },
      run: {
        backend: 'wasm',
        stage1Updates: 1,
        stage2Updates: 1,
        evalEvery: 0,
        evalSize: 2,
        checkpointEvery: 0,
      },
    },
    init: 'public/models/stage0.bin',
    horizon: 4,
    eval: { online: 2, offline: 4, tools: 2 },
    forecastPrompts: 2,
    suites: ['mobile-online', 'web-offline', 'tools'],
  },
  // Sized for the 2-core, GPU-less machine: 3 seeds on 2 processes took 13.5 minutes
  // (README, Results).
  small: {
    name: 'small',
    settings: {
      grpo: { groupSize: 6, promptsPerUpdate: 3 },
      optimiser: { lr: 3e-4, warmupUpdates: 2 },
      data: { suites: [...GUI_SUITES] },
      run: {
        backend: 'cpu',
        stage1Updates: 10,
        stage2Updates: 10,
        evalEvery: 0,
        evalSize: 16,
        checkpointEvery: 0,
      },
    },
    init: 'public/models/stage0.bin',
    horizon: 4,
    eval: { online: 4, offline: 32, tools: 12 },
    forecastPrompts: 32,
    suites: ALL_SUITES,
  },
  // The whole table sized to decide the paper's claims: 3 seeds, 200 stage-1 and 100 stage-2
  // updates per run, evaluations of 100 episodes per online suite, ≥ 300 logged steps per
  // offline suite and 100 tasks per tool suite, on the fast CPU path. To finish in ≤ 100 min
  // on the 2-core machine the rollout batch is 3 minibatches × 2 prompts × 4 forecasts (24
  // forecasts, three clipped steps per update; EasyR1 takes four): 4 × 4 × 5 took 2.1 CPU-s
  // an update, this 0.7. RL trains on every suite stage 0 learnt, tools included (trained on
  // GUI suites only, the tool answers fell from 53 to 38–51 %), at lr 5e-5: from 200 stage-1
  // updates at 2e-4 the planner lost 6 points online and its held-out reward (KL 0.08); 100
  // updates at 1e-4 lost 7 on mobile, at 5e-5 it kept stage 0's figures (21 / 53 %).
  claims: {
    name: 'claims',
    settings: {
      grpo: { groupSize: 4, promptsPerUpdate: 2, minibatches: 3, innerEpochs: 1 },
      optimiser: { lr: 5e-5, warmupUpdates: 10 },
      data: { suites: [...ALL_SUITES] },
      run: {
        backend: 'wasm',
        stage1Updates: 200,
        stage2Updates: 100,
        evalEvery: 25,
        evalSize: 16,
        checkpointEvery: 0,
      },
    },
    init: 'public/models/stage0.bin',
    horizon: 4,
    eval: { online: 100, offline: 300, tools: 100 },
    forecastPrompts: 200,
    suites: ALL_SUITES,
  },
  // The paper-like shape: needs a real GPU (WebGPU backend); not measured on this machine.
  full: {
    name: 'full',
    settings: {
      grpo: { groupSize: 5, promptsPerUpdate: 8 },
      optimiser: { lr: 1e-4, warmupUpdates: 20, schedule: 'cosine' },
      data: { suites: [...GUI_SUITES] },
      run: {
        backend: 'webgpu',
        stage1Updates: 2000,
        stage2Updates: 1000,
        evalEvery: 0,
        evalSize: 200,
        checkpointEvery: 0,
      },
    },
    init: 'public/models/stage0.bin',
    horizon: 4,
    eval: { online: 100, offline: 500, tools: 200 },
    forecastPrompts: 400,
    suites: ALL_SUITES,
  },
};

export function methodSpec(id: string): MethodSpec {
  const m = METHODS.find((x) => x.id === id);
  if (!m) throw new Error(`unknown method '${id}' (known: ${METHODS.map((x) => x.id).join(', ')})`);
  return m;
}

export interface Job {
  seed: number;
  methods: string[];
}

/** Every job of a run: each method group for each seed (seeds 1..n). */
export function planJobs(seeds: number, only?: readonly string[]): Job[] {
  const jobs: Job[] = [];
  for (let seed = 1; seed <= seeds; seed++)
    for (const group of JOB_GROUPS) {
      const methods = group.filter((m) => !only || only.includes(m));
      // `full` needs `stage1` in the same job.
      if (methods.includes('full') && !methods.includes('stage1')) methods.unshift('stage1');
      if (methods.length) jobs.push({ seed, methods });
    }
  return jobs;
}

/** Updates a job trains (for progress and ETA). */
export function jobUpdates(job: Job, preset: ExperimentPreset): number {
  const work = jobWork(job, preset);
  return work.stage1 + work.stage2;
}

/** Seconds of one unit of work in one process, for the time estimate of `--list-jobs`. */
export interface WorkRates {
  /** One stage-1 (stage-2) update of the preset's rollout batch (at any horizon). */
  stage1Update: number;
  stage2Update: number;
  onlineEpisode: number;
  offlineStep: number;
  toolTask: number;
  /** Forecast statistics, per held-out prompt. */
  forecastPrompt: number;
  /** Where and how the rates were measured. */
  measured: string;
}

/**
 * Rates of the `claims` preset, measured by `npm run experiment -- --preset claims
 * --measure-rates` (src/rl/experiment/measure.ts): CPU seconds per unit of one job process on
 * the wasm backend, one thread, as the preset's jobs run (one per core), from the shipped
 * stage0.bin: the median of 3 stage-1 (stage-2) updates of the preset's rollout batch after an
 * untimed first one, then every suite with 16 online episodes, 97 offline steps and 12 tool
 * tasks per suite, and 32 held-out forecast prompts; 2-core machine, 2026-12-07 01:27 UTC,
 * beside the last job of a sweep on the other core. The sweep these rates estimate took
 * 74 min on 2 processes (README, Results). Pass others with --rates <file.json>.
 */
export const MEASURED_RATES: Record<string, WorkRates> = {
  claims: {
    stage1Update: 0.844,
    stage2Update: 0.741,
    onlineEpisode: 0.282,
    offlineStep: 0.0131,
    toolTask: 0.101,
    forecastPrompt: 0.0247,
    measured:
      'wasm backend, 1 thread per job, CPU seconds per unit, 2-core machine, 2026-12-07 (plan.ts MEASURED_RATES; npm run experiment -- --preset claims --measure-rates)',
  },
};

/** The work of one job: updates per stage and evaluation units. */
export function jobWork(job: Job, preset: ExperimentPreset) {
  const r = preset.settings.run!;
  const work = { stage1: 0, stage2: 0, online: 0, offline: 0, tools: 0, forecasts: 0 };
  for (const id of job.methods) {
    // An update costs about the same at every horizon: what the planner writes, not the
    // budget, sets the work (200 updates of the claims preset took 137–157 s at each of H = 1,
    // 3, 4, 5, 10, 15 in the 2026-12-07 sweep). `full` reuses stage1's checkpoint in its job.
    for (const s of id === 'full' ? [G] : methodSpec(id).stages)
      if (s === T) work.stage1 += r.stage1Updates!;
      else work.stage2 += r.stage2Updates!;
    work.forecasts += preset.forecastPrompts;
    for (const suite of preset.suites) {
      const kind = suite.startsWith('tools')
        ? 'tools'
        : suite.endsWith('online')
          ? 'online'
          : 'offline';
      work[kind] += preset.eval[kind];
    }
  }
  return work;
}

/** Estimated seconds of one job in one process at `rates`. */
export function estimateJobSeconds(job: Job, preset: ExperimentPreset, rates: WorkRates): number {
  const w = jobWork(job, preset);
  return (
    w.stage1 * rates.stage1Update +
    w.stage2 * rates.stage2Update +
    w.online * rates.onlineEpisode +
    w.offline * rates.offlineStep +
    w.tools * rates.toolTask +
    w.forecasts * rates.forecastPrompt
  );
}

/**
 * Wall-clock estimate of a sweep on `processes` parallel processes: jobs handed out longest
 * first to the least loaded process (what a scheduler with that many slots does at best).
 */
export function estimateSweepSeconds(jobSeconds: readonly number[], processes: number): number {
  const load = new Array<number>(Math.max(1, processes)).fill(0);
  for (const s of [...jobSeconds].sort((a, b) => b - a)) {
    const i = load.indexOf(Math.min(...load));
    load[i] += s;
  }
  return Math.max(...load);
}
