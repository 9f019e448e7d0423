// Checkpoint files in Node (the CLI and tests). The format itself is in checkpoint.ts and
// knows nothing of files; the browser keeps the same bytes in IndexedDB.
import { readFile, writeFile } from 'node:fs/promises';
import {
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointExpectation,
  type CheckpointState,
} from './checkpoint';

export async function saveCheckpointFile(path: string, state: CheckpointState): Promise<void> {
  await writeFile(path, encodeCheckpoint(state));
}

export async function loadCheckpointFile(
  path: string,
  expect: CheckpointExpectation = {},
): Promise<CheckpointState> {
  return decodeCheckpoint(new Uint8Array(await readFile(path)), expect);
}
