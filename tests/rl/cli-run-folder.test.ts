// Run folders are never overwritten and refusals write nothing: a fresh run into a non-empty
// folder is refused unless --force; bad settings, an oversized model and an --init checkpoint
// that does not fit are refused before the folder exists; a finished run is not extended
// without --updates; a run stopped after its start checkpoint resumes from it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, trainCli as cli } from './cli-fixtures';

const tiny = (out: string, ...more: string[]) =>
  cli('--stage', '0', '--preset', 'ci-tiny', '--quiet', '--out', out, ...more);
const dir = () => tempDir('tracelab-folder-');

describe('run folders', () => {
  it('refuses a fresh run into a non-empty folder unless --force, touching nothing', async () => {
    const out = join(dir(), 'run');
    expect((await tiny(out, '--updates', '2', '--seed', '3')).code).toBe(0);
    const before = ['metrics.jsonl', 'checkpoint.bin', 'settings.json'].map((f) =>
      readFileSync(join(out, f)),
    );
    const again = await tiny(out, '--updates', '1', '--seed', '4');
    expect(again.code).toBe(2);
    expect(again.err).toContain(`run folder '${out}' is not empty`);
    expect(again.err).toContain('--force');
    ['metrics.jsonl', 'checkpoint.bin', 'settings.json'].forEach((f, i) =>
      expect(readFileSync(join(out, f)).equals(before[i]), f).toBe(true),
    );
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const forced = await tiny(out, '--updates', '1', '--seed', '4', '--force');
    expect(forced.code).toBe(0);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).update)).toEqual([1]);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine'); // not a run file
  });

  it('refuses bad input before writing anything, naming what is wrong', async () => {
    const d = dir();
    const out = join(d, 'run');
    const config = join(d, 'c.json');
    const cases: [string, RegExp][] = [
      ['null', /c\.json: must be a JSON object of setting groups.*got null/],
      ['[]', /must be a JSON object of setting groups.*got an empty list \[\]/],
      ['{"run":"x"}', /setting 'run': must be an object of settings .*got the text "x"/],
      ['{"run":{"seed":1.5}}', /setting 'run.seed': must be an integer, got 1.5/],
      [
        '{"model":{"C":2048,"L":8,"NH":4}}',
        /setting 'model': training this shape needs about \d+\.\d GiB .* above the 4\.0 GiB limit/,
      ],
    ];
    for (const [text, message] of cases) {
      writeFileSync(config, text);
      const r = await cli('--stage', '0', '--config', config, '--out', out);
      expect(r.code, text).toBe(2);
      expect(r.err, text).toMatch(message);
      expect(existsSync(out), text).toBe(false);
    }
    // An --init checkpoint of another shape: refused before the folder exists.
    const small = join(d, 'small');
    expect((await tiny(small, '--updates', '1')).code).toBe(0);
    const wrong = await cli(
      '--stage',
      '0',
      '--preset',
      'quick-demo',
      '--backend',
      'cpu',
      '--init',
      join(small, 'checkpoint.bin'),
      '--out',
      out,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("'model.C' is 32 in the checkpoint, 64 in the settings");
    expect(existsSync(out)).toBe(false);
  });

  it('says a finished run is finished, and resumes a run stopped after its start checkpoint', async () => {
    const d = dir();
    const straight = join(d, 'straight');
    expect((await tiny(straight, '--updates', '2')).code).toBe(0);
    const done = await cli('--resume', straight);
    expect(done.code).toBe(2);
    expect(done.err).toContain(`run '${straight}' is already finished (update 2 of 2)`);
    expect(done.err).toContain('--updates N');
    const backwards = await cli('--resume', straight, '--updates', '1');
    expect(backwards.code).toBe(2);
    expect(backwards.err).toContain('--updates 1 is below the run');

    // A run killed right after its start checkpoint: only start.bin (and maybe checkpoint.bin).
    const killed = join(d, 'killed');
    mkdirSync(killed);
    writeFileSync(join(killed, 'start.bin'), readFileSync(join(straight, 'start.bin')));
    const resumed = await cli('--resume', killed, '--updates', '2');
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(
      readFileSync(join(killed, 'checkpoint.bin')).equals(
        readFileSync(join(straight, 'checkpoint.bin')),
      ),
    ).toBe(true);
    // Killed before its first checkpoint: at most a *.tmp of a write cut short.
    const early = join(d, 'early');
    mkdirSync(early);
    writeFileSync(join(early, 'start.bin.tmp'), 'cut short');
    const none = await cli('--resume', early);
    expect(none.code).toBe(2);
    expect(none.err).toContain('holds no checkpoint yet');
    // The same command as the first start works again: a *.tmp leftover is no run.
    expect((await tiny(early, '--updates', '2')).code).toBe(0);
    expect(
      readFileSync(join(early, 'checkpoint.bin')).equals(
        readFileSync(join(straight, 'checkpoint.bin')),
      ),
    ).toBe(true);
  });
});
