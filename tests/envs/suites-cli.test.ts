// The `npm run world` command line: argument errors name what was wrong and list valid
// choices; list, trajectory and render produce what they promise.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args';
import { main } from '../../src/cli/world-commands';
import { SUITE_NAMES } from '../../src/envs/suites';

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('argument errors', () => {
  it('names an unknown command and lists the commands', () => {
    const r = run('lsit');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'lsit'");
    expect(r.err).toContain('list, tasks, render, trajectory, baselines');
  });

  it('names an unknown template and lists valid ones', () => {
    const r = run('trajectory', 'settings.wify', '--seed', '1');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown template 'settings.wify'");
    expect(r.err).toContain('settings.wifi');
  });

  it('names an unknown suite and lists the seven', () => {
    const r = run('tasks', '--suite', 'android');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown suite 'android'");
    for (const s of SUITE_NAMES) expect(r.err).toContain(s);
  });

  it('names an unknown flag and lists the flags of the command', () => {
    const r = run('render', 'settings.wifi', '--sed', '1');
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown flag '--sed'");
    expect(r.err).toContain('--seed');
  });

  it('refuses missing and malformed values', () => {
    expect(run('render', 'settings.wifi').err).toContain('needs --seed N');
    expect(run('trajectory', 'settings.wifi', '--seed', 'x').err).toContain('whole number');
    expect(run('trajectory', 'settings.wifi', '--seed').err).toContain('needs a value');
    expect(run('render', 'settings.wifi', '--seed', '1', '--step', '99').err).toMatch(
      /--step must be in 0\.\.\d+/,
    );
    expect(() => parseArgs(['--marks=yes'], { marks: 'boolean' })).toThrow(UsageError);
  });
});

describe('commands', () => {
  it('lists the seven suites with their sizes', () => {
    const r = run('list');
    expect(r.code).toBe(0);
    for (const s of SUITE_NAMES) expect(r.out).toContain(`| ${s} |`);
    expect(r.out).toContain('≥ 500 steps');
  });

  it('prints the oracle trajectory, ending with done', () => {
    const r = run('trajectory', 'settings.wifi', '--seed', '4');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^settings\.wifi seed 4: Turn Wi-Fi (on|off)\./);
    expect(lines.at(-1)).toMatch(/\d+\. \[.*\] done$/);
    expect(r.out).toContain('the Wi-Fi toggle');
  });

  it('renders a PNG of the requested step, upscaled with marks', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'world-cli-')), 'shot.png');
    const plain = run('render', 'settings.wifi', '--seed', '4', '--step', '1', '--out', file);
    expect(plain.code).toBe(0);
    const a = PNG.sync.read(readFileSync(file));
    expect([a.width, a.height]).toEqual([160, 256]);
    const marked = run(
      'render',
      'settings.wifi',
      '--seed',
      '4',
      '--step',
      '1',
      '--marks',
      '--next',
      '2',
      '--out',
      file,
    );
    expect(marked.code).toBe(0);
    const b = PNG.sync.read(readFileSync(file));
    expect([b.width, b.height]).toEqual([480, 768]);
    // Not blank: many distinct colours.
    const colours = new Set<number>();
    for (let i = 0; i < b.data.length; i += 4)
      colours.add((b.data[i] << 16) | (b.data[i + 1] << 8) | b.data[i + 2]);
    expect(colours.size).toBeGreaterThan(4);
    expect(colours.has((230 << 16) | (30 << 8) | 140)).toBe(true); // the marks colour
  });

  it('prints the floor table for a small sample', () => {
    const r = run('baselines', '--count', '6');
    expect(r.code).toBe(0);
    for (const s of SUITE_NAMES) {
      expect(r.out).toMatch(new RegExp(`\\| ${s} \\|.*\\| random \\|`));
      expect(r.out).toMatch(new RegExp(`\\| ${s} \\|.*\\| heuristic \\|`));
    }
  });
});
