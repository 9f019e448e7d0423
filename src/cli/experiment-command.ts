// `npm run experiment` as runExperiment(argv), for the entry point src/cli/experiment.ts:
// `npm run experiment -- --preset small|full --seeds 3`: the paper's table in miniature.
// Trains every method and ablation of src/rl/experiment/plan.ts for each seed, evaluates each
// on the seven suites, and writes results/<date>/table.md and table.json (mean ± std over
// seeds). Jobs run in parallel child processes, one per core (--jobs), with progress bars and
// an ETA; each job's results land in results/<date>/jobs/ as it finishes, so a rerun with the
// same --out skips finished jobs.
//
//   npm run experiment -- --preset small --seeds 3 [--jobs 2] [--methods sft,stage1,full]
//                         [--out results/2026-11-25]
// Exit codes: 0 done, 1 a job failed, 2 bad usage.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import type { Backend } from '../kernels/backend';
import { CpuBackend } from '../kernels/cpu';
import { loadVocabFile } from '../rl/data/vocab-node';
import { loadCheckpointFile } from '../rl/model/checkpoint-node';
import {
  EXPERIMENT_PRESETS,
  jobUpdates,
  methodSpec,
  planJobs,
  type Job,
  type PresetName,
} from '../rl/experiment/plan';
import {
  presetWithModel,
  runJob,
  type MethodResult,
  type ProgressEvent,
} from '../rl/experiment/run-job';
import { buildTable, tableMarkdown } from '../rl/experiment/table';
import { choose, parseArgs, UsageError, type FlagType } from './args';

const FLAGS: Record<string, FlagType> = {
  preset: 'string',
  seeds: 'int',
  jobs: 'int',
  methods: 'string',
  out: 'string',
  worker: 'string',
  result: 'string',
};

const PROGRESS = '@progress ';

const jobName = (j: Job) => `seed${j.seed}-${j.methods.join('+')}`;
const jobFile = (j: Job) => jobName(j).replace(/[^A-Za-z0-9+=._-]/g, '_') + '.json';

/** Progress units of a job: its training updates plus one per method and suite evaluated. */
function jobUnits(j: Job, preset: PresetName): number {
  const p = EXPERIMENT_PRESETS[preset];
  return jobUpdates(j, p) + j.methods.length * p.suites.length;
}

async function runWorker(name: PresetName, job: Job, resultPath: string): Promise<void> {
  const p = EXPERIMENT_PRESETS[name];
  let be: Backend;
  if (p.settings.run?.backend === 'webgpu') {
    const { createNodeBackend } = await import('../kernels/node');
    be = await createNodeBackend();
  } else be = new CpuBackend();
  const vocab = loadVocabFile();
  const init = await loadCheckpointFile(p.init);
  const preset = presetWithModel(p, init);
  try {
    const results = await runJob(job, {
      be,
      vocab,
      preset,
      init,
      onProgress: (e) => process.stdout.write(PROGRESS + JSON.stringify(e) + '\n'),
    });
    writeFileSync(resultPath, JSON.stringify({ job, results }, null, 1) + '\n');
  } finally {
    be.destroy();
  }
}

function machine(): string {
  const c = cpus();
  return `${c.length} CPU cores (${c[0]?.model.trim() ?? 'unknown'}), no GPU, CPU backend, Node ${process.version}`;
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

  const results: MethodResult[] = [];
  for (const f of readdirSync(join(out, 'jobs')).filter((f) => f.endsWith('.json'))) {
    const { results: r } = JSON.parse(readFileSync(join(out, 'jobs', f), 'utf8')) as {
      results: MethodResult[];
    };
    // Every finished job of this folder: a run of a few methods adds their rows to the table.
    results.push(...r.filter((x) => x.seed <= seeds));
  }
  const p = EXPERIMENT_PRESETS[preset];
  const table = buildTable(results, p.suites);
  const meta = {
    command: `npm run experiment -- ${argv.filter((a) => a !== '--').join(' ')}`.trim(),
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: machine(),
    preset,
    seeds,
    minutes,
  };
  writeFileSync(join(out, 'table.md'), tableMarkdown(table, meta) + '\n');
  writeFileSync(
    join(out, 'table.json'),
    JSON.stringify({ meta, preset: p, table, results }, null, 1) + '\n',
  );
  process.stdout.write(tableMarkdown(table, meta) + '\n');
  process.stderr.write(`wrote ${out}/table.md and table.json (${minutes.toFixed(1)} min)\n`);
  return failed ? 1 : 0;
}

export async function runExperiment(argv: readonly string[]): Promise<number> {
  try {
    const { positionals, flags } = parseArgs(argv, FLAGS);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const preset = choose('preset', (flags.preset as string | undefined) ?? 'small', [
      'small',
      'full',
    ] as const);
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
    return await runParent(preset, seeds, parallel, only, out, argv);
  } catch (e) {
    process.stderr.write(`experiment: ${(e as Error).stack ?? (e as Error).message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
}
