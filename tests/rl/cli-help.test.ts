// `--help` on each command line prints its usage and exits 0, running nothing; an unknown
// flag is still refused with exit 2.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runEval } from '../../src/cli/eval-command';
import { EXPERIMENT_USAGE, runExperiment } from '../../src/cli/experiment-command';
import { trainCli } from './cli-fixtures';

function evalCli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return runEval(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }).then((code) => ({
    code,
    out: out.join('\n'),
    err: err.join('\n'),
  }));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('--help', () => {
  it('eval prints its usage, naming every flag and the suites', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await evalCli('--', flag);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^usage: eval --checkpoint <file>/);
      for (const f of ['--agent', '--suites', '--count', '--split', '--grounder', '--backend'])
        expect(r.out).toContain(f);
      expect(r.out).toContain('mobile-online');
    }
    const bad = await evalCli('--helpme');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown flag '--helpme'");
  });

  it('train prints its usage, writing nothing', async () => {
    const r = await trainCli('--help', '--stage', '0');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: train --stage 0\|1\|2 --out <dir>/);
    expect(r.out).toContain('--upgrade-checkpoint');
    expect(r.err).toBe('');
  });

  it('experiment prints its usage and the presets', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      written.push(String(s));
      return true;
    });
    expect(await runExperiment(['--', '--help'])).toBe(0);
    expect(written.join('')).toBe(EXPERIMENT_USAGE + '\n');
    expect(EXPERIMENT_USAGE).toMatch(/^usage: experiment .*--list-jobs/s);
    expect(EXPERIMENT_USAGE).toContain('smoke');
  });
});
