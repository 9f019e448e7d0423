// `npm run eval` as runEval(argv, io) for testing; the entry point is eval.ts.
//
//   eval --checkpoint <file> [--suites a,b,…] [--count N] [--horizon H] [--batch B]
//        [--split held-out-params|held-out-templates|held-out-apps]
//        [--grounder onnx|stand-in] [--backend wasm|cpu|webgpu] (default wasm) [--json <file>]
//        [--misses]
//   eval --agent oracle|random|heuristic [--suites …] [--count N]     (the suites' baselines)
//
// Clicks are grounded by the frozen ONNX grounder (public/models/grounder.onnx, onnxruntime-web
// wasm) unless --grounder stand-in asks for the text-match stand-in.
// Prints one markdown row per suite (its headline metrics in %, episodes or steps, seconds
// and units per second); --misses adds, per online suite, what the failed episodes first did
// differently from the oracle (rl/eval/first-miss.ts). Exit codes: 0 done, 1 failed, 2 bad usage or an unreadable checkpoint.
import { writeFileSync } from 'node:fs';
import type { Backend } from '../kernels/backend';
import { CpuBackend } from '../kernels/cpu';
import {
  heuristicAgent,
  headlineMetrics,
  oracleAgent,
  randomAgent,
  SUITE_NAMES,
  SUITES,
  type SuiteName,
} from '../envs/suites';
import {
  fromSuiteAgent,
  frozenGrounder,
  textMatchGrounder,
  type BatchAgent,
  type Grounder,
} from '../rl/agent';
import { EVALUATION_SPLITS } from '../envs/suites/splits';
import {
  bootstrapMean,
  checkpointAgent,
  evaluateSuites,
  firstMissRecorder,
  type MissSummary,
  type SuiteRun,
} from '../rl/eval';
import { loadCheckpointFile } from '../rl/model/checkpoint-node';
import { choose, parseArgs, UsageError, wantsHelp, type FlagType } from './args';
import { commandLineWasmBackend } from './wasm-backend';

const FLAGS: Record<string, FlagType> = {
  checkpoint: 'string',
  agent: 'string',
  suites: 'string',
  count: 'int',
  horizon: 'int',
  batch: 'int',
  backend: 'string',
  json: 'string',
  seed: 'int',
  grounder: 'string',
  split: 'string',
  misses: 'boolean',
};

const BASELINES = ['oracle', 'random', 'heuristic'] as const;

export const EVAL_USAGE = [
  'usage: eval --checkpoint <file> [--suites a,b,…] [--count N] [--horizon H] [--batch B]',
  '            [--split held-out-params|held-out-templates|held-out-apps] [--seed N]',
  '            [--grounder onnx|stand-in] [--backend wasm|cpu|webgpu] [--json <file>] [--misses]',
  '       eval --agent oracle|random|heuristic [--suites a,b,…] [--count N]',
  `suites: ${SUITE_NAMES.join(', ')}`,
].join('\n');

export interface EvalIo {
  out(line: string): void;
  err(line: string): void;
}

const STDIO: EvalIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

function suitesArg(value: string | undefined): SuiteName[] {
  if (value === undefined) return [...SUITE_NAMES];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => choose('suite', s, SUITE_NAMES));
}

async function makeBackend(kind: string): Promise<Backend> {
  const chosen = choose('backend', kind, ['cpu', 'wasm', 'webgpu'] as const);
  if (chosen === 'cpu') return new CpuBackend();
  if (chosen === 'wasm') return commandLineWasmBackend();
  const { createNodeBackend } = await import('../kernels/node');
  return createNodeBackend();
}

/** The table rows of a finished evaluation. */
export function formatRuns(agent: string, runs: readonly SuiteRun[]): string[] {
  const lines = [
    `| suite | mirrors | agent | size | metrics (%) | seconds | per second |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const { result: r, seconds, unitsPerSecond } of runs) {
    const size = r.kind === 'offline' ? `${r.steps} steps` : `${r.tasks} tasks`;
    const ci = r.outcomes?.length ? bootstrapMean(r.outcomes, { seed: 15 }) : null;
    const metrics =
      headlineMetrics(r)
        .map(([label, v]) => `${label} ${(100 * v).toFixed(1)}`)
        .join(' · ') +
      (ci ? ` (95 % CI ${(100 * ci.lo).toFixed(1)}–${(100 * ci.hi).toFixed(1)})` : '');
    const unit = r.kind === 'offline' ? 'steps' : 'episodes';
    lines.push(
      `| ${r.suite} | ${SUITES[r.suite].mirrors} | ${agent} | ${size} | ${metrics} | ${seconds.toFixed(1)} | ${unitsPerSecond.toFixed(2)} ${unit} |`,
    );
  }
  return lines;
}

/** One line per online suite: the first misses of its failed episodes, by kind. */
export function formatMisses(summary: readonly MissSummary[]): string[] {
  if (summary.length === 0) return [];
  return [
    '',
    ...summary.map(
      (m) =>
        `first misses of the ${m.failed} failed ${m.suite} episodes (of ${m.episodes}): ` +
        (m.kinds.map(([kind, n]) => `${kind} ${n}`).join(' · ') || 'none'),
    ),
  ];
}

export async function runEval(argv: readonly string[], io: EvalIo = STDIO): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(EVAL_USAGE);
    return 0;
  }
  let release = async () => {};
  try {
    const { positionals, flags } = parseArgs(argv, FLAGS);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const checkpoint = flags.checkpoint as string | undefined;
    const baseline = flags.agent as string | undefined;
    if (!checkpoint === !baseline)
      throw new UsageError(
        'give exactly one of --checkpoint <file> or --agent oracle|random|heuristic',
      );
    const suites = suitesArg(flags.suites as string | undefined);
    const count = flags.count as number | undefined;
    if (count !== undefined && count < 1) throw new UsageError('--count must be ≥ 1');
    let agent: BatchAgent;
    let grounderLabel: string | null = null;
    let forecaster: { calls: number; prompts: number; seconds: number; wellFormed: number } | null =
      null;
    if (baseline) {
      const name = choose('agent', baseline, BASELINES);
      const seed = (flags.seed as number | undefined) ?? 0;
      agent = fromSuiteAgent(
        name === 'oracle'
          ? oracleAgent()
          : name === 'random'
            ? randomAgent(seed)
            : heuristicAgent(),
      );
    } else {
      let state;
      try {
        state = await loadCheckpointFile(checkpoint!);
      } catch (e) {
        throw new UsageError(`cannot load --checkpoint '${checkpoint}': ${(e as Error).message}`);
      }
      const grounderKind = choose('grounder', (flags.grounder as string | undefined) ?? 'onnx', [
        'onnx',
        'stand-in',
      ] as const);
      let grounder: Grounder = textMatchGrounder;
      let grounderName = 'text-match STAND-IN';
      let disposeGrounder = async () => {};
      if (grounderKind === 'onnx') {
        const { createNodeGrounder } = await import('../grounder/node');
        const frozen = await createNodeGrounder();
        grounder = frozenGrounder(frozen);
        grounderName = `frozen ONNX (${frozen.backend})`;
        disposeGrounder = () => frozen.dispose();
      }
      const be = await makeBackend((flags.backend as string | undefined) ?? 'wasm');
      const loaded = checkpointAgent(state, {
        be,
        grounder,
        H: flags.horizon as number | undefined,
        batch: flags.batch as number | undefined,
        seed: flags.seed as number | undefined,
      });
      agent = loaded.agent;
      grounderLabel = grounderName;
      forecaster = loaded.forecaster;
      io.out(`${checkpoint}: ${agent.name}, grounder ${grounderName}, ${be.description}`);
      io.out('');
      release = async () => {
        loaded.release();
        be.destroy();
        await disposeGrounder();
      };
    }
    const splitFlag = flags.split as string | undefined;
    const split =
      splitFlag === undefined ? undefined : choose('split', splitFlag, EVALUATION_SPLITS);
    if (split) io.out(`split: ${split} only`);
    const misses = flags.misses ? firstMissRecorder() : undefined;
    const runs = await evaluateSuites(agent, suites, {
      count,
      split,
      misses,
      onProgress: (suite, done, total) => {
        if (done === total) io.err(`${suite}: ${done}/${total}`);
      },
    });
    for (const line of formatRuns(agent.name, runs)) io.out(line);
    const missSummary = misses?.summary() ?? [];
    for (const line of formatMisses(missSummary)) io.out(line);
    const units = runs.reduce((n, r) => n + r.units, 0);
    const seconds = runs.reduce((n, r) => n + r.seconds, 0);
    io.out('');
    io.out(
      `(${seconds.toFixed(1)} s in all, ${(units / Math.max(seconds, 1e-9)).toFixed(2)} episodes or steps per second)`,
    );
    if (forecaster)
      io.out(
        `(planner forecasts: ${forecaster.prompts} prompts in ${forecaster.calls} sampler passes, ${forecaster.seconds.toFixed(1)} s; well formed ${forecaster.wellFormed}/${forecaster.prompts})`,
      );
    if (flags.json) {
      const json = {
        agent: agent.name,
        checkpoint,
        grounder: grounderLabel,
        count: count ?? null,
        split: split ?? 'all held-out splits',
        forecasts: forecaster && {
          prompts: forecaster.prompts,
          wellFormed: forecaster.wellFormed,
        },
        runs,
        ...(misses ? { firstMisses: missSummary } : {}),
      };
      writeFileSync(flags.json as string, JSON.stringify(json, null, 2) + '\n');
    }
    return 0;
  } catch (e) {
    io.err(`eval: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  } finally {
    await release();
  }
}
