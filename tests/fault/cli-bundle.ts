// A command line (`npm run train`, `npm run experiment`) as one plain Node script, built once
// per test file (about half a second), so a test can start the real CLI process many times
// without the seconds vite-node spends transforming the sources on every start. Each build
// goes to its own folder under node_modules/.cache (inside the checkout, so the script finds
// the packages it leaves external; two copies of the suite side by side never share one),
// removed after the file's tests.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { build } from 'vite';

const CACHE = 'node_modules/.cache';
const built: string[] = [];

afterAll(() => {
  for (const dir of built.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Bundles src/cli/<name>.ts; resolves to the script's path. */
export async function buildCli(name: 'train' | 'experiment'): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const outDir = mkdtempSync(join(CACHE, `tracelab-cli-${name}-`));
  built.push(outDir);
  await build({
    configFile: false,
    publicDir: false,
    logLevel: 'error',
    // onnx-proto is CommonJS with named exports that Node's ESM loader cannot see: bundle it.
    ssr: { noExternal: ['onnx-proto'] },
    build: { ssr: `src/cli/${name}.ts`, outDir, target: 'node20', emptyOutDir: true },
  });
  return join(outDir, `${name}.js`);
}

export function buildTrainCli(): Promise<string> {
  return buildCli('train');
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
