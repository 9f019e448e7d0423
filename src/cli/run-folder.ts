// A training run's folder: which files are the run's, whether a fresh run may write into a
// folder (never over another run unless --force), and which checkpoint a resume starts from.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args';

/** Files `npm run train` writes into a run folder (checkpoint-N.bin and *.tmp besides). */
const RUN_FILES = [
  'settings.json',
  'metrics.jsonl',
  'evaluation.json',
  'backend.json',
  'start.bin',
  'checkpoint.bin',
];
const isRunFile = (name: string) =>
  RUN_FILES.includes(name) || /^checkpoint-\d+\.bin$/.test(name) || name.endsWith('.tmp');

/**
 * Refuses a fresh run into a folder that holds anything but *.tmp leftovers (naming what),
 * unless `force`; also refuses a path that is a file. Writes nothing.
 */
export function checkFreshFolder(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`--out '${dir}' is a file, not a folder`);
  // A *.tmp file is an atomic write a crash cut short: it holds nothing of a run.
  const entries = readdirSync(dir).filter((name) => !name.endsWith('.tmp'));
  if (entries.length === 0 || force) return;
  const shown = entries.slice(0, 4).join(', ') + (entries.length > 4 ? ', …' : '');
  throw new UsageError(
    `run folder '${dir}' is not empty (${shown}); nothing was written. Continue it with --resume ${dir}, choose another --out, or pass --force to replace its run files`,
  );
}

/** Removes a previous run's files (for --force), leaving anything else in the folder. */
export function clearRunFiles(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (isRunFile(name)) rmSync(join(dir, name));
}

/**
 * The checkpoint a resume continues from: checkpoint.bin (the latest), or start.bin when a
 * run was stopped between its two start writes. Throws naming the folder when it has neither.
 */
export function resumeCheckpointPath(dir: string): string {
  if (!existsSync(dir)) throw new UsageError(`--resume: no run folder '${dir}'`);
  for (const name of ['checkpoint.bin', 'start.bin']) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new UsageError(
    `--resume: '${dir}' holds no checkpoint yet (the run stopped before its first one, so nothing is lost); start it again with the same command`,
  );
}
