// Export a stored run as one file and import such a file as a new stored run, paused at its
// latest checkpoint so the Train page can resume it. The file format lives in run-file.ts,
// loaded on first use (it brings the checkpoint reader with it).
import { validateSettings } from '../../rl/config/schema';
import { RUN_FILE_EXTENSION } from './run-file-name';
import type { RunRecord, RunStore } from './store';

/** The run's file bytes and a file name for them. */
export async function exportRun(
  store: RunStore,
  id: string,
): Promise<{ bytes: Uint8Array; fileName: string }> {
  const run = await store.getRun(id);
  if (!run) throw new Error('this run is no longer stored');
  const latest = await store.latestCheckpoint(id);
  if (!latest) throw new Error(`run "${run.name}" has no checkpoint yet: pause it first`);
  const start = await store.checkpointAt(id, latest.stage, 0);
  if (!start) throw new Error(`the start checkpoint of stage ${latest.stage} is missing`);
  const { encodeRunFile } = await import('./run-file');
  const bytes = await encodeRunFile({
    name: run.name,
    created: run.created,
    settings: validateSettings(run.config),
    metrics: await store.loadMetrics(id),
    latest: { stage: latest.stage, update: latest.update, data: latest.data },
    start: { stage: start.stage, update: 0, data: start.data },
  });
  const slug = run.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'run';
  return { bytes, fileName: `${slug}${RUN_FILE_EXTENSION}` };
}

/** Check the file whole, then store it as a new paused run. Throws saying why it was refused. */
export async function importRun(store: RunStore, bytes: ArrayBuffer): Promise<RunRecord> {
  const { decodeRunFile } = await import('./run-file');
  const file = await decodeRunFile(bytes);
  const run = await store.createRun({ name: `${file.name} (imported)`, config: file.settings });
  try {
    if (file.metrics.length > 0) await store.appendMetrics(run.id, file.metrics);
    await store.saveCheckpoint(run.id, file.start.stage, 0, file.start.data);
    await store.saveCheckpoint(run.id, file.latest.stage, file.latest.update, file.latest.data);
    return await store.setStatus(run.id, 'paused');
  } catch (e) {
    // Half an import is no run: remove what was written.
    await store.deleteRun(run.id).catch(() => undefined);
    throw e;
  }
}

/** Hand the bytes to the browser as a download. */
export function downloadBytes(bytes: Uint8Array, fileName: string): void {
  const url = URL.createObjectURL(
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
