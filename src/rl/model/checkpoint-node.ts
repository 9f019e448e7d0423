// Checkpoint files in Node (the CLI and tests). The format itself is in checkpoint.ts and
// knows nothing of files; the browser keeps the same bytes in IndexedDB.
import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  upgradeCheckpoint,
  type CheckpointExpectation,
  type CheckpointState,
} from './checkpoint';

export async function saveCheckpointFile(path: string, state: CheckpointState): Promise<void> {
  await writeFile(`${path}.tmp`, encodeCheckpoint(state));
  await rename(`${path}.tmp`, path);
}

export async function loadCheckpointFile(
  path: string,
  expect: CheckpointExpectation = {},
): Promise<CheckpointState> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new CheckpointError(`cannot read (${(e as Error).message})`, path);
  }
  return decodeCheckpoint(bytes, { ...expect, source: path });
}

/** Rewrites a version-1 checkpoint file as the current version (`--upgrade-checkpoint`). */
export async function upgradeCheckpointFile(from: string, to: string): Promise<CheckpointState> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(from));
  } catch (e) {
    throw new CheckpointError(`cannot read (${(e as Error).message})`, from);
  }
  const upgraded = upgradeCheckpoint(bytes, from);
  await writeFile(`${to}.tmp`, upgraded);
  await rename(`${to}.tmp`, to);
  return decodeCheckpoint(upgraded, { source: to });
}
