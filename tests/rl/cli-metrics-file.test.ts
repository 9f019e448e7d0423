// metrics.jsonl: a damaged line blocks resume naming the file and the line (and writes
// nothing); a torn last line, as a crash mid-append leaves, is dropped and reported.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, trainCli as cli } from './cli-fixtures';
import { readMetricsFile, truncateMetricsFile } from '../../src/cli/metrics-file';

const dir = () => tempDir('tracelab-metrics-');

describe('metrics.jsonl', () => {
  it('names the file and line of a damaged record, and drops only a torn last line', () => {
    const path = join(dir(), 'metrics.jsonl');
    writeFileSync(path, '{"update":1}\n{"update":2,"loss":"abc\n{"update":3}\n');
    expect(() => readMetricsFile(path)).toThrow(
      new RegExp(`${path} line 2 is damaged \\(Unterminated string`),
    );
    writeFileSync(path, '{"update":1}\n[1,2]\n');
    expect(() => readMetricsFile(path)).toThrow(`${path} line 2 has no update number`);
    writeFileSync(path, '{"update":1}\n{"update":2}\n{"update":3,"lo');
    const { kept, note } = truncateMetricsFile(path, 5);
    expect(note).toMatch(/dropped a torn last line \(15 characters/);
    expect(kept).toEqual([{ update: 1 }, { update: 2 }]);
    expect(readFileSync(path, 'utf8')).toBe('{"update":1}\n{"update":2}\n');
    expect(truncateMetricsFile(path, 1).note).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe('{"update":1}\n');
  });

  it('resume refuses a damaged line untouched, and resumes past a torn one', async () => {
    const out = join(dir(), 'run');
    const tiny = ['--stage', '0', '--preset', 'ci-tiny', '--quiet', '--updates', '2'];
    expect((await cli(...tiny, '--out', out)).code).toBe(0);
    const path = join(out, 'metrics.jsonl');
    const good = readFileSync(path, 'utf8');
    const damaged = good.replace('"update":1', '"update":1,"x":}');
    writeFileSync(path, damaged);
    const r = await cli('--resume', out, '--updates', '3');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path} line 1 is damaged`);
    expect(readFileSync(path, 'utf8')).toBe(damaged);
    writeFileSync(path, good);
    appendFileSync(path, '{"stage":0,"update":3,"loss":0.1'); // a crash mid-append
    const resumed = await cli('--resume', out, '--updates', '3');
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain('dropped a torn last line');
    const updates = readMetricsFile(path).lines.map((l) => l.update);
    expect(updates).toEqual([1, 2, 3]);
  });
});
