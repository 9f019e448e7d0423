// `npm run experiment` as runExperiment(argv), for the entry point src/cli/experiment.ts:
// `npm run experiment -- --preset small|claims|full --seeds 3`: the paper's table in miniature.
// Trains every method and ablation of src/rl/experiment/plan.ts for each seed, evaluates each
// on the seven suites, and writes results/<date>/table.md and table.json (mean [95 % interval]
// over seeds and units). Jobs run in parallel child processes, one per core (--jobs), with
// progress bars and an ETA; each job's results land in results/<date>/jobs/ as it finishes, so
// a rerun with the same --out skips finished jobs.
//
// Sweeps beyond one machine: every job runs on its own from its index, into a shared folder,
// and --table gathers whatever has finished (README: Slurm job array, GNU parallel):
//   --list-jobs     one line per job: index, seed, methods, estimated minutes (and the sweep's)
//   --job K         run job K (0-based, the --list-jobs order) in this process into --out
//   --table         write table.md/table.json from the finished jobs in --out, run nothing
//   --measure-rates measure the preset's rates of work in this process, as one job runs
//                   (src/rl/experiment/measure.ts), and print them as a --rates JSON file
//
//   npm run experiment -- --preset small --seeds 3 [--jobs 2] [--methods sft,stage1,full]
//                         [--out results/2026-11-25] [--list-jobs | --job K | --table |
//                         --measure-rates] [--rates <file.json>]
// Exit codes: 0 done, 1 a job failed, 2 bad usage.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import type { Backend } from '../kernels/backend';
import { CpuBackend } from '../kernels/cpu';
import { WasmBackend } from '../kernels/wasm';
import { loadVocabFile } from '../rl/data/vocab-node';
import { loadCheckpointFile } from '../rl/model/checkpoint-node';
import {
  estimateJobSeconds,
  estimateSweepSeconds,
  EXPERIMENT_PRESETS,
  jobUpdates,
  MEASURED_RATES,
  methodSpec,
  planJobs,
  type Job,
  type PresetName,
  type WorkRates,
} from '../rl/experiment/plan';
import { measureRates } from '../rl/experiment/measure';
import {
  presetWithModel,
  runJob,
  type JobContext,
  type MethodResult,
  type ProgressEvent,
} from '../rl/experiment/run-job';
import { experimentFigures } from '../rl/experiment/figures';
import { buildTable, tableMarkdown, type TableMeta } from '../rl/experiment/table';
import { choose, parseArgs, UsageError, wantsHelp, type FlagType } from './args';

const FLAGS: Record<string, FlagType> = {
  preset: 'string',
  seeds: 'int',
  jobs: 'int',
  methods: 'string',
  out: 'string',
  worker: 'string',
  result: 'string',
  'list-jobs': 'boolean',
  rates: 'string',
  job: 'int',
  table: 'boolean',
  'measure-rates': 'boolean',
};

const PROGRESS = '@progress ';

export const EXPERIMENT_USAGE = [
  'usage: experiment [--preset <name>] [--seeds N] [--jobs N] [--methods a,b,…] [--out <dir>]',
  '                  [--list-jobs | --job K | --table | --measure-rates] [--rates <file.json>]',
  `presets: ${Object.keys(EXPERIMENT_PRESETS).join(', ')}`,
].join('\n');

const jobName = (j: Job) => `seed${j.seed}-${j.methods.join('+')}`;
const jobFile = (j: Job) => jobName(j).replace(/[^A-Za-z0-9+=._-]/g, '_') + '.json';

/** Progress units of a job: its training updates plus one per method and suite evaluated. */
function jobUnits(j: Job, preset: PresetName): number {
  const p = EXPERIMENT_PRESETS[preset];
  return jobUpdates(j, p) + j.methods.length * p.suites.length;
}

/** What one job of the preset runs on: its backend, vocabulary and stage-0 checkpoint. */
async function jobContext(name: PresetName): Promise<JobContext> {
  const p = EXPERIMENT_PRESETS[name];
  // Jobs already run one per core, so a wasm job keeps to one thread.
  let be: Backend;
  if (p.settings.run?.backend === 'webgpu') {
    const { createNodeBackend } = await import('../kernels/node');
    be = await createNodeBackend();
  } else if (p.settings.run?.backend === 'wasm') be = await WasmBackend.create({ threads: 1 });
  else be = new CpuBackend();
  const init = await loadCheckpointFile(p.init);
  return { be, vocab: loadVocabFile(), preset: presetWithModel(p, init), init };
}

async function runWorker(name: PresetName, job: Job, resultPath: string): Promise<void> {
  const ctx = await jobContext(name);
  try {
    const results = await runJob(job, {
      ...ctx,
      onProgress: (e) => process.stdout.write(PROGRESS + JSON.stringify(e) + '\n'),
    });
    writeFileSync(resultPath, JSON.stringify({ job, results }, null, 1) + '\n');
  } finally {
    ctx.be.destroy();
  }
}

/** --measure-rates: the preset's WorkRates measured as one job runs (measure.ts), as JSON. */
async function measureCommand(name: PresetName): Promise<string> {
  const ctx = await jobContext(name);
  try {
    const rates = await measureRates(ctx);
    const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
    rates.measured += `; ${machine()}; ${date} UTC`;
    return JSON.stringify(rates, null, 1);
  } finally {
    ctx.be.destroy();
  }
}

function machine(): string {
  const c = cpus();
  return `${c.length} CPU cores (${c[0]?.model.trim() ?? 'unknown'}), no GPU, Node ${process.version}`;
}

async function runParent(
  preset: PresetName,
  seeds: number,
  parallel: number,
  only: string[] | undefined,
  out: string,
  argv: readonly string[],
): Promise<number> {
  const jobs = planJobs(seeds, only);
  mkdirSync(join(out, 'jobs'), { recursive: true });
  mkdirSync(join(out, 'logs'), { recursive: true });
  const pending = jobs.filter((j) => !existsSync(join(out, 'jobs', jobFile(j))));
  const total = pending.reduce((n, j) => n + jobUnits(j, preset), 0);
  const tty = Boolean(process.stderr.isTTY);
  const bars = new MultiBar(
    {
      format: '{name} |{bar}| {value}/{total} · ETA {eta_formatted} · {what}',
      hideCursor: true,
      noTTYOutput: !tty,
      notTTYSchedule: 30_000,
      etaBuffer: 200,
    },
    Presets.shades_classic,
  );
  const overall = bars.create(Math.max(1, total), 0, { name: 'all jobs'.padEnd(28), what: '' });
  const started = performance.now();
  let failed = 0;
  const queue = [...pending];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const units = jobUnits(job, preset);
      const bar = bars.create(units, 0, {
        name: jobName(job).slice(0, 28).padEnd(28),
        what: 'starting',
      });
      const result = join(out, 'jobs', jobFile(job));
      const log = createWriteStream(join(out, 'logs', jobFile(job).replace(/\.json$/, '.log')));
      const code = await new Promise<number>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            'node_modules/vite-node/dist/cli.mjs',
            'src/cli/experiment.ts',
            '--',
            '--preset',
            preset,
            '--worker',
            JSON.stringify(job),
            '--result',
            result,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (!line.startsWith(PROGRESS)) {
              log.write(line + '\n');
              continue;
            }
            const e = JSON.parse(line.slice(PROGRESS.length)) as ProgressEvent;
            log.write(line + '\n');
            const what =
              e.phase === 'train'
                ? `${e.method} stage ${e.stage} update ${e.update}`
                : `${e.method} ${e.phase}`;
            bar.increment(1, { what });
            overall.increment(1, {
              what: `${jobs.length - pending.length + done} of ${jobs.length} jobs done`,
            });
          }
        });
        child.stderr.pipe(log, { end: false });
        child.on('close', (c) => resolve(c ?? 1));
      });
      log.end();
      done++;
      bar.update(units, { what: code === 0 ? 'done' : `FAILED (exit ${code}), see ${out}/logs` });
      bar.stop();
      if (code !== 0) failed++;
    }
  };
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(parallel, pending.length)) }, worker),
  );
  bars.stop();
  const minutes = (performance.now() - started) / 60_000;

  gatherTable(preset, seeds, out, argv, minutes);
  return failed ? 1 : 0;
}

/**
 * table.md and table.json of `out` from every finished job there (a run of a few methods, or a
 * sweep still going, adds the rows it has).
 */
function gatherTable(
  preset: PresetName,
  seeds: number,
  out: string,
  argv: readonly string[],
  minutes: number,
): void {
  const results: MethodResult[] = [];
  const dir = join(out, 'jobs');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  for (const f of files) {
    const { results: r } = JSON.parse(readFileSync(join(out, 'jobs', f), 'utf8')) as {
      results: MethodResult[];
    };
    // Every finished job of this folder: a run of a few methods adds their rows to the table.
    results.push(...r.filter((x) => x.seed <= seeds));
  }
  const p = EXPERIMENT_PRESETS[preset];
  const table = buildTable(results, p.suites);
  const meta: TableMeta = {
    command: `npm run experiment -- ${argv.filter((a) => a !== '--').join(' ')}`.trim(),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: machine(),
    preset,
    seeds,
    minutes,
  };
  // --table measures no time: it keeps the timed run's command, date and wall clock when this
  // folder has them, and names itself as the command that wrote the table.
  const timed = minutes > 0 ? null : timedRun(out);
  if (timed) Object.assign(meta, { ...timed, gathered: meta.command });
  writeFileSync(join(out, 'table.md'), tableMarkdown(table, meta) + '\n');
  // Learning curves and suite results as SVG, from the same per-job JSON.
  mkdirSync(join(out, 'figures'), { recursive: true });
  for (const [name, svg] of Object.entries(experimentFigures(results, table)))
    writeFileSync(join(out, 'figures', name), svg + '\n');
  writeFileSync(
    join(out, 'table.json'),
    JSON.stringify({ meta, preset: p, table, results }, null, 1) + '\n',
  );
  process.stdout.write(tableMarkdown(table, meta) + '\n');
  process.stderr.write(
    `wrote ${out}/table.md, table.json and figures/ from ${files.length} finished job(s)` +
      (minutes > 0 ? ` (${minutes.toFixed(1)} min)` : '') +
      '\n',
  );
}

/** The meta of the timed run that wrote `out`'s table.json before, if one did. */
function timedRun(out: string): Pick<TableMeta, 'command' | 'date' | 'machine' | 'minutes'> | null {
  const file = join(out, 'table.json');
  if (!existsSync(file)) return null;
  const { meta } = JSON.parse(readFileSync(file, 'utf8')) as { meta?: TableMeta };
  if (!meta || !(meta.minutes > 0)) return null;
  return { command: meta.command, date: meta.date, machine: meta.machine, minutes: meta.minutes };
}

/** Measured rates of the preset's work (see --list-jobs), with a --rates file laid over them. */
function ratesFor(preset: PresetName, file?: string): WorkRates {
  const base = MEASURED_RATES[preset] ?? MEASURED_RATES.claims;
  if (!file) return base;
  let given: unknown;
  try {
    given = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--rates ${file}: ${(e as Error).message}`);
  }
  if (!given || typeof given !== 'object' || Array.isArray(given))
    throw new UsageError(`--rates ${file}: must be a JSON object of seconds per unit`);
  const out: Record<string, unknown> = { ...base, measured: `${file}` };
  for (const [k, v] of Object.entries(given)) {
    if (k === 'measured') out.measured = String(v);
    else if (!(k in base)) throw new UsageError(`--rates ${file}: unknown rate '${k}'`);
    else if (typeof v !== 'number' || !(v >= 0))
      throw new UsageError(`--rates ${file}: '${k}' must be a number ≥ 0`);
    else out[k] = v;
  }
  return out as unknown as WorkRates;
}

function listJobs(
  preset: PresetName,
  seeds: number,
  only: string[] | undefined,
  parallel: number,
  ratesFile?: string,
) {
  const p = EXPERIMENT_PRESETS[preset];
  const rates = ratesFor(preset, ratesFile);
  const jobs = planJobs(seeds, only);
  const seconds = jobs.map((j) => estimateJobSeconds(j, p, rates));
  const lines = jobs.map((j, k) => `${k}\t${jobName(j)}\t${(seconds[k] / 60).toFixed(1)} min`);
  const total = seconds.reduce((a, b) => a + b, 0);
  lines.push(
    `# ${jobs.length} jobs, ${(total / 60).toFixed(0)} min of work; on ${parallel} processes about ${(estimateSweepSeconds(seconds, parallel) / 60).toFixed(0)} min wall clock`,
    `# rates: ${rates.measured}`,
  );
  return lines.join('\n');
}

export async function runExperiment(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(EXPERIMENT_USAGE + '\n');
    return 0;
  }
  try {
    const { positionals, flags } = parseArgs(argv, FLAGS);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const preset = choose(
      'preset',
      (flags.preset as string | undefined) ?? 'small',
      Object.keys(EXPERIMENT_PRESETS) as PresetName[],
    );
    if (flags.worker) {
      const job = JSON.parse(flags.worker as string) as Job;
      if (!flags.result) throw new UsageError('--worker needs --result <file>');
      await runWorker(preset, job, flags.result as string);
      return 0;
    }
    const seeds = (flags.seeds as number | undefined) ?? 3;
    if (seeds < 1) throw new UsageError('--seeds must be ≥ 1');
    const parallel = (flags.jobs as number | undefined) ?? cpus().length;
    if (parallel < 1) throw new UsageError('--jobs must be ≥ 1');
    const only = (flags.methods as string | undefined)
      ?.split(',')
      .map((m) => methodSpec(m.trim()).id);
    const out =
      (flags.out as string | undefined) ?? join('results', new Date().toISOString().slice(0, 10));
    const modes = ['list-jobs', 'job', 'table', 'measure-rates'].filter(
      (f) => flags[f] !== undefined,
    );
    if (modes.length > 1)
      throw new UsageError(`--${modes[0]} and --${modes[1]} exclude each other`);
    if (flags['list-jobs']) {
      process.stdout.write(
        listJobs(preset, seeds, only, parallel, flags.rates as string | undefined) + '\n',
      );
      return 0;
    }
    if (flags['measure-rates']) {
      process.stdout.write((await measureCommand(preset)) + '\n');
      return 0;
    }
    if (flags.table) {
      gatherTable(preset, seeds, out, argv, 0);
      return 0;
    }
    if (flags.job !== undefined) {
      const jobs = planJobs(seeds, only);
      const k = flags.job as number;
      if (k < 0 || k >= jobs.length)
        throw new UsageError(
          `--job ${k}: this sweep has jobs 0..${jobs.length - 1} (see --list-jobs)`,
        );
      const result = join(out, 'jobs', jobFile(jobs[k]));
      if (existsSync(result)) {
        process.stderr.write(`job ${k} (${jobName(jobs[k])}) already finished: ${result}\n`);
        return 0;
      }
      mkdirSync(join(out, 'jobs'), { recursive: true });
      // Written whole under a temporary name, then renamed: a job that dies leaves no result.
      await runWorker(preset, jobs[k], result + '.partial');
      renameSync(result + '.partial', result);
      process.stderr.write(`job ${k} (${jobName(jobs[k])}) done: ${result}\n`);
      return 0;
    }
    return await runParent(preset, seeds, parallel, only, out, argv);
  } catch (e) {
    process.stderr.write(`experiment: ${(e as Error).stack ?? (e as Error).message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
