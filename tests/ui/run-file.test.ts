// The run file: a round trip keeps settings, metrics (NaN included) and both checkpoints; a
// damaged, foreign or inconsistent file is refused with the reason, and an import that is
// refused stores nothing.
import { beforeAll, describe, expect, test } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { UpdateMetrics } from '../../src/rl/metrics';
import { encodeCheckpoint, type CheckpointState } from '../../src/rl/model/checkpoint';
import { train } from '../../src/rl/trainer';
import { MemoryRunDb } from '../../src/ui/runs/memory-db';
import { decodeRunFile, encodeRunFile, type RunFile } from '../../src/ui/runs/run-file';
import { RunStore } from '../../src/ui/runs/store';
import { exportRun, importRun } from '../../src/ui/runs/transfer';
import { frozenVocab, tinySettings } from '../rl/train-fixtures';

const settings = tinySettings();
let run: RunFile;

const buffer = (s: CheckpointState) => encodeCheckpoint(s).slice().buffer;
/** Byte equality without an element-by-element deep compare (slow on checkpoint-sized arrays). */
const sameBytes = (a: ArrayBuffer, b: ArrayBuffer) => Buffer.from(a).equals(Buffer.from(b));

beforeAll(async () => {
  const metrics: UpdateMetrics[] = [];
  const saved = new Map<string, CheckpointState>();
  await train({
    be: new CpuBackend(),
    settings,
    stage: 0,
    vocab: frozenVocab(),
    updates: 2,
    onMetrics: (m) => metrics.push(m),
    saveCheckpoint: async (kind, update, state) => void saved.set(`${kind}@${update}`, state),
  });
  run = {
    name: 'tiny run',
    created: 1_700_000_000_000,
    settings,
    metrics,
    latest: { stage: 0, update: 2, data: buffer(saved.get('final@2')!) },
    start: { stage: 0, update: 0, data: buffer(saved.get('start@0')!) },
  };
});

describe('run file', () => {
  test('round trip: settings, metrics with NaN rewards, both checkpoints byte for byte', async () => {
    const back = await decodeRunFile(await encodeRunFile(run));
    expect(back.settings).toEqual(settings);
    expect(back.metrics).toHaveLength(2);
    expect(back.metrics[0].reward).toBeNaN(); // stage 0 has no reward
    expect(back.metrics.map((m) => m.loss)).toEqual(run.metrics.map((m) => m.loss));
    expect(sameBytes(back.latest.data, run.latest.data)).toBe(true);
    expect(sameBytes(back.start.data, run.start.data)).toBe(true);
  });

  test('refusals say what is wrong', async () => {
    const good = await encodeRunFile(run);
    await expect(decodeRunFile(new TextEncoder().encode('{"not":"a run"}'))).rejects.toThrow(
      /not a TraceLab run file/,
    );
    const flipped = good.slice();
    flipped[flipped.length - 10] ^= 1;
    await expect(decodeRunFile(flipped)).rejects.toThrow(/damaged: its SHA-256/);
    await expect(decodeRunFile(good.subarray(0, good.length - 100))).rejects.toThrow(/damaged/);

    const badSettings = {
      ...run,
      settings: { ...settings, grpo: { ...settings.grpo, groupSize: 999 } },
    };
    await expect(decodeRunFile(await encodeRunFile(badSettings))).rejects.toThrow(
      /settings are refused: .*groupSize/,
    );
    const otherSeed = { ...run, settings: { ...settings, run: { ...settings.run, seed: 7 } } };
    await expect(decodeRunFile(await encodeRunFile(otherSeed))).rejects.toThrow(
      /latest checkpoint: .*seed/,
    );
    const shuffled = { ...run, metrics: [run.metrics[1], run.metrics[0]] };
    await expect(decodeRunFile(await encodeRunFile(shuffled))).rejects.toThrow(
      /metrics record 2 .* out of order/,
    );
    const mislabelled = { ...run, latest: { ...run.latest, update: 5 } };
    await expect(decodeRunFile(await encodeRunFile(mislabelled))).rejects.toThrow(
      /checkpoint is stage 0 update 2, the header says stage 0 update 5/,
    );
  });

  test('export from one store, import into another: a paused run with the same history', async () => {
    const a = new RunStore(new MemoryRunDb());
    const made = await a.createRun({ name: 'tiny run', config: settings });
    await a.appendMetrics(made.id, run.metrics);
    await a.saveCheckpoint(made.id, 0, 0, run.start.data);
    await a.saveCheckpoint(made.id, 0, 2, run.latest.data);
    const { bytes, fileName } = await exportRun(a, made.id);
    expect(fileName).toBe('tiny-run.tracelab-run');

    const b = new RunStore(new MemoryRunDb());
    const imported = await importRun(b, bytes.slice().buffer);
    expect(imported).toMatchObject({ name: 'tiny run (imported)', status: 'paused', updates: 2 });
    expect((await b.loadMetrics(imported.id)).map((m) => m.loss)).toEqual(
      run.metrics.map((m) => m.loss),
    );
    const latest = await b.latestCheckpoint(imported.id);
    expect(latest).toMatchObject({ stage: 0, update: 2 });
    expect(sameBytes(latest!.data, run.latest.data)).toBe(true);
    expect(await b.checkpointAt(imported.id, 0, 0)).toBeDefined();

    // A refused file leaves the store as it was.
    const damaged = bytes.slice();
    damaged[100] ^= 0xff;
    await expect(importRun(b, damaged.buffer)).rejects.toThrow(/Not imported/);
    expect(await b.listRuns()).toHaveLength(1);
  });
});
