// Fault injection (a): the train CLI killed with SIGKILL at ≥ 20 seeded random moments of a
// short run (the start, mid-update, mid-checkpoint write, the final write), then resumed, and
// killed again during some resumes. Every run must end with a checkpoint byte-identical to the
// uninterrupted run's and the same metrics records (timing fields aside): nothing lost.
//
// A run killed before its first checkpoint holds no run file (at most a *.tmp); --resume says
// so and the same command starts it again (there is nothing to lose yet).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng';
import { buildTrainCli, runCli, type CliRun } from './cli-bundle';

const KILLS = 20;
const MAX_TRIALS = 40;
const UPDATES = 3;
const TIMING = ['elapsed', 'tokensPerSecond', 'updatesPerSecond'];

let script: string;
let root: string;
let config: string;

/** metrics.jsonl records without the wall-clock fields. */
function records(dir: string): unknown[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const m = JSON.parse(l);
      for (const k of TIMING) delete m[k];
      return m;
    });
}

beforeAll(async () => {
  script = await buildTrainCli();
  root = mkdtempSync(join(tmpdir(), 'tracelab-kill-'));
  config = join(root, 'fault.json');
  // ci-tiny made smaller still, with a checkpoint after every update (more moments to hit).
  writeFileSync(
    config,
    JSON.stringify({
      preset: 'ci-tiny',
      data: { batchSize: 2, taskPool: 8 },
      run: { evalSize: 2, checkpointEvery: 1, checkpointSeconds: 0 },
    }),
  );
});

describe('kill -9 and resume', () => {
  it(`ends byte-identical to the uninterrupted run after ${KILLS} kills at random moments`, async () => {
    const fresh = (dir: string, ...more: string[]) => [
      '--stage',
      '0',
      '--config',
      config,
      '--updates',
      String(UPDATES),
      '--quiet',
      '--out',
      dir,
      ...more,
    ];
    const refDir = join(root, 'reference');
    const t0 = performance.now();
    const ref = await runCli(script, fresh(refDir));
    const runMs = performance.now() - t0;
    expect(ref.err).toBe('');
    expect(ref.code).toBe(0);
    const refCheckpoint = readFileSync(join(refDir, 'checkpoint.bin'));
    const refRecords = records(refDir);
    expect(refRecords).toHaveLength(UPDATES);

    // Trials two at a time (one per core), each with its own seeded moments, until at least
    // KILLS processes were really killed (a moment after the run's end kills nothing).
    const outcomes: string[] = [];
    let killed = 0;
    const trial = async (n: number) => {
      const rng = new Rng(1000 + n);
      const dir = join(root, `trial-${n}`);
      let last: CliRun = await runCli(script, fresh(dir), rng.next() * 0.8 * runMs);
      const story = [last.signal === 'SIGKILL' ? 'killed' : `ran (${last.code})`];
      let killResume = n % 3 === 2; // every third trial is killed again while resuming
      for (let attempt = 0; last.code !== 0 && attempt < 5; attempt++) {
        last = await runCli(
          script,
          ['--resume', dir, '--quiet'],
          killResume ? rng.next() * 0.8 * runMs : undefined,
        );
        killResume = false;
        if (last.signal === 'SIGKILL') story.push('resume killed');
        else if (last.code === 2 && last.err.includes('already finished')) last.code = 0;
        else if (last.code === 2 && /holds no checkpoint yet|no run folder/.test(last.err)) {
          story.push('restarted');
          last = await runCli(script, fresh(dir)); // the same command, as the message says
        } else expect(last.err, `trial ${n}: ${story.join(', ')}`).toBe('');
      }
      killed += story.filter((s) => s.includes('killed')).length;
      outcomes.push(`${n}: ${story.join(' → ')}`);
      expect(last.code, `trial ${n}: ${story.join(', ')}\n${last.err}`).toBe(0);
      const same = readFileSync(join(dir, 'checkpoint.bin')).equals(refCheckpoint);
      expect(same, `trial ${n}: ${story.join(', ')}`).toBe(true);
      expect(records(dir), `trial ${n}`).toEqual(refRecords);
    };
    let n = 0;
    while (killed < KILLS && n < MAX_TRIALS) {
      await Promise.all([trial(n), trial(n + 1)]);
      n += 2;
    }
    console.log(`kill -9: ${killed} kills over ${n} trials; ${outcomes.join('; ')}`);
    expect(killed).toBeGreaterThanOrEqual(KILLS);
  });
});
