// The shared set-up of the command-line tests: `npm run train` in this process with its
// output captured, and temporary folders that are removed when the test file ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runTrain } from '../../src/cli/train-command';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** runTrain(argv) with stdout and stderr collected, no progress bar. */
export async function trainCli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTrain(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progressBar: false,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const made: string[] = [];

/** A new empty folder under the system's temporary folder, removed after the file's tests. */
export function tempDir(prefix = 'tracelab-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
