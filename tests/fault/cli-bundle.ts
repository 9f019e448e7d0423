// `npm run train` as one plain Node script, built once per test file (about half a second),
// so a fault test can start, kill and restart the real CLI process many times without the
// seconds vite-node spends transforming the sources on every start.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'vite';

const OUT = 'node_modules/.cache/fault-cli';

export async function buildTrainCli(): Promise<string> {
  await build({
    configFile: false,
    publicDir: false,
    logLevel: 'error',
    build: { ssr: 'src/cli/train.ts', outDir: OUT, target: 'node20', emptyOutDir: true },
  });
  return join(OUT, 'train.js');
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs the CLI; `killAfterMs` sends SIGKILL at that moment (if it is still running). */
export function runCli(script: string, args: string[], killAfterMs?: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer =
      killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}
