// A sweep spread by an outside scheduler: GNU parallel runs every job of the smoke preset from
// its index (--job K) into one shared folder, then --table gathers what finished. The jobs are
// real (they load the shipped checkpoint, evaluate and write their JSON); the preset keeps them
// to a few evaluation units. GNU parallel must be installed (.ci/run installs it). The CLI
// runs as one bundled script (built once, as the fault tests do), not through vite-node,
// which transforms every source again on each of the seven starts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../fault/cli-bundle';

let cli: string;
const SWEEP = ['--preset', 'smoke', '--seeds', '3', '--methods', 'sft'];
const out = mkdtempSync(join(tmpdir(), 'tracelab-sweep-'));

const experiment = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...SWEEP, '--out', out, ...args], { encoding: 'utf8' });

beforeAll(async () => {
  cli = await buildCli('experiment');
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('a sweep through GNU parallel', () => {
  it('lists the jobs, runs them by index in parallel, and the table gathers every seed', () => {
    const list = experiment('--list-jobs');
    expect(list.status, list.stderr).toBe(0);
    const jobs = list.stdout.split('\n').filter((l) => /^\d+\t/.test(l));
    expect(jobs.map((l) => l.split('\t')[1])).toEqual(['seed1-sft', 'seed2-sft', 'seed3-sft']);
    expect(list.stdout).toMatch(/# 3 jobs, .* min of work/);

    const which = spawnSync('parallel', ['--version'], { encoding: 'utf8' });
    expect(which.error, 'GNU parallel is not installed (apt-get install parallel)').toBeFalsy();
    const args = [cli, ...SWEEP, '--out', out, '--job', '{}'].map((a) => `'${a}'`).join(' ');
    const run = spawnSync(
      'parallel',
      [
        '--will-cite',
        '--halt',
        'now,fail=1',
        '-j',
        '2',
        `${process.execPath} ${args}`,
        ':::',
        '0',
        '1',
        '2',
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    for (const seed of [1, 2, 3])
      expect(existsSync(join(out, 'jobs', `seed${seed}-sft.json`))).toBe(true);

    // A finished job is not run again.
    const again = experiment('--job', '1');
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/already finished/);

    const table = experiment('--table');
    expect(table.status, table.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'table.json'), 'utf8')) as {
      table: { rows: { method: string; seeds: number[]; ci: Record<string, { n: number }> }[] };
    };
    const sft = json.table.rows.find((r) => r.method === 'sft')!;
    expect(sft.seeds).toEqual([1, 2, 3]);
    // 2 episodes per seed on the online suite, resampled in the interval.
    expect(sft.ci['mobile-online'].n).toBe(6);
    expect(readFileSync(join(out, 'table.md'), 'utf8')).toContain('| SFT only (stage 0) |');
  }, 600_000);

  it('refuses an index outside the sweep, naming the range', () => {
    const bad = experiment('--job', '7');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--job 7: this sweep has jobs 0\.\.2/);
  });
});
