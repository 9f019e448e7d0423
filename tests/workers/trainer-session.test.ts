// The trainer worker's run control, in Node on the CPU backend: pause and resume give the same
// run bit for bit as an uninterrupted one; a single update takes exactly one; a plan of two
// stages hands stage 0's final weights to stage 1; stop ends the run; the metrics stream
// batches by time. (The worker wiring itself is exercised in tests/e2e/train.e2e.ts.)
import { afterAll, describe, expect, test } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { Stage, UpdateMetrics } from '../../src/rl/metrics';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { runMetaOf } from '../../src/rl/trainer';
import { MetricsStream } from '../../src/workers/trainer/metrics-stream';
import { TrainingSession, type SessionSink } from '../../src/workers/trainer/session';
import type { RunState } from '../../src/workers/trainer-api';
import { frozenVocab, tinySettings } from '../rl/train-fixtures';

const be = new CpuBackend();
afterAll(() => be.destroy());

const settings = tinySettings({
  run: { sftUpdates: 6, stage1Updates: 2, checkpointEvery: 0, checkpointSeconds: 0 },
});

interface Recorded {
  metrics: UpdateMetrics[];
  checkpoints: { stage: Stage; update: number; kind: string; state: CheckpointState }[];
  states: RunState[];
  sink: SessionSink;
}

function recorder(): Recorded {
  const r: Recorded = { metrics: [], checkpoints: [], states: [], sink: null! };
  r.sink = {
    metrics: (m) => r.metrics.push(m),
    checkpoint: async (stage, update, kind, state) => {
      r.checkpoints.push({ stage, update, kind, state });
    },
    state: (s) => r.states.push(s),
  };
  return r;
}

function session(rec: Recorded, plan: Stage[] = [0]): TrainingSession {
  return new TrainingSession({ be, vocab: frozenVocab(), settings, plan, sink: rec.sink });
}

const losses = (ms: UpdateMetrics[]) => ms.map((m) => [m.stage, m.update, m.loss]);

function params(state: CheckpointState): Float32Array[] {
  return [...state.tensors.params.values()];
}

describe('TrainingSession', () => {
  let uninterrupted: Recorded;

  test('an uninterrupted stage runs every update and ends finished with a final checkpoint', async () => {
    uninterrupted = recorder();
    const s = session(uninterrupted);
    await s.run();
    expect(s.state).toBe('finished');
    expect(uninterrupted.metrics.map((m) => m.update)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(uninterrupted.checkpoints.map((c) => [c.kind, c.update])).toEqual([
      ['start', 0],
      ['final', 6],
    ]);
  });

  test('single updates, pause and resume continue bit for bit', async () => {
    const rec = recorder();
    const s = session(rec);
    await s.singleUpdate();
    expect(s.state).toBe('paused');
    expect(rec.metrics.map((m) => m.update)).toEqual([1]);
    // The pause checkpoint is the state after update 1: resuming continues from it.
    expect(runMetaOf(s.latest!).update).toBe(1);
    await s.singleUpdate();
    expect(rec.metrics.map((m) => m.update)).toEqual([1, 2]);

    // Pause while running: it lands after the update in flight, never mid-update.
    const running = s.run();
    while (rec.metrics.length < 3) await new Promise((ok) => setTimeout(ok, 5));
    await s.pause();
    await running;
    expect(s.state).toBe('paused');
    const pausedAt = rec.metrics.length;
    expect(runMetaOf(s.latest!).update).toBe(pausedAt);

    await s.run();
    expect(s.state).toBe('finished');
    expect(losses(rec.metrics)).toEqual(losses(uninterrupted.metrics));
    expect(params(rec.checkpoints.at(-1)!.state)).toEqual(
      params(uninterrupted.checkpoints.at(-1)!.state),
    );
  });

  test('a session resumed from stored checkpoints (a reload) continues the same run', async () => {
    const first = recorder();
    const s = session(first);
    await s.singleUpdate();
    await s.singleUpdate();
    await s.singleUpdate();
    const start = first.checkpoints.find((c) => c.kind === 'start')!.state;
    const rec = recorder();
    const resumed = new TrainingSession({
      be,
      vocab: frozenVocab(),
      settings,
      plan: [0],
      resume: { checkpoint: s.latest!, start },
      sink: rec.sink,
    });
    expect(resumed.update).toBe(3);
    await resumed.run();
    expect(losses([...first.metrics, ...rec.metrics])).toEqual(losses(uninterrupted.metrics));
  });

  test('a device lost mid-update pauses the run at its last checkpoint; resume continues bit for bit', async () => {
    const rec = recorder();
    let lost: string | null = null;
    // A backend whose device dies during update 4: its next read fails as WebGPU's does,
    // and the loss itself is only reported afterwards (through deviceLoss).
    const dying = new Proxy(new CpuBackend(), {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key === 'read')
          return async (...args: unknown[]) => {
            if (rec.metrics.length >= 3) {
              lost = 'destroyed';
              throw new Error(
                "Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved",
              );
            }
            return (target.read as (...a: unknown[]) => unknown)(...args);
          };
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const s = new TrainingSession({
      be: dying,
      vocab: frozenVocab(),
      settings: tinySettings({
        run: { sftUpdates: 6, checkpointEvery: 2, checkpointSeconds: 0 },
      }),
      plan: [0],
      sink: rec.sink,
      deviceLoss: async () => lost,
    });
    await s.run();
    expect(s.state).toBe('device-lost');
    expect(s.message).toBe(
      'The GPU device was lost (destroyed); the run is paused at its last checkpoint (stage 0, update 2). Resume continues on a new device.',
    );
    expect(s.update).toBe(2);
    expect(rec.checkpoints.map((c) => [c.kind, c.update])).toEqual([
      ['start', 0],
      ['periodic', 2],
    ]);
    s.replaceBackend(be);
    await s.run();
    expect(s.state).toBe('finished');
    expect(rec.metrics.map((m) => m.update)).toEqual([1, 2, 3, 3, 4, 5, 6]);
    expect(params(rec.checkpoints.at(-1)!.state)).toEqual(
      params(uninterrupted.checkpoints.at(-1)!.state),
    );
  });

  test('a failure that is not a device loss still fails the run, saying why', async () => {
    const rec = recorder();
    const broken = new Proxy(new CpuBackend(), {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key === 'read') return async () => Promise.reject(new Error('out of memory'));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const s = new TrainingSession({
      be: broken,
      vocab: frozenVocab(),
      settings,
      plan: [0],
      sink: rec.sink,
      deviceLoss: async () => null,
    });
    await s.run();
    expect(s.state).toBe('failed');
    expect(s.message).toContain('out of memory');
  });

  test('stop ends the run; it does not start again', async () => {
    const rec = recorder();
    const s = session(rec);
    await s.singleUpdate();
    await s.stop();
    expect(s.state).toBe('stopped');
    await s.run();
    expect(rec.metrics).toHaveLength(1);
  });

  test('a two-stage plan starts stage 1 from the final weights of stage 0', async () => {
    const rec = recorder();
    const s = session(rec, [0, 1]);
    await s.run();
    expect(s.state).toBe('finished');
    expect(rec.metrics.map((m) => [m.stage, m.update])).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((u) => [0, u]),
      [1, 1],
      [1, 2],
    ]);
    const final0 = rec.checkpoints.find((c) => c.stage === 0 && c.kind === 'final')!.state;
    const start1 = rec.checkpoints.find((c) => c.stage === 1 && c.kind === 'start')!.state;
    expect(params(start1)).toEqual(params(final0));
    expect(start1.step).toBe(0); // fresh optimiser for the new stage
    expect(Number.isFinite(rec.metrics.at(-1)!.reward)).toBe(true);
  });
});

describe('MetricsStream', () => {
  test('sends the first record at once, then at most one batch per interval, and flushes', async () => {
    let now = 0;
    const sent: number[][] = [];
    const m = (update: number) => ({ update }) as UpdateMetrics;
    const stream = new MetricsStream(
      (b) => sent.push(b.map((r) => r.update)),
      200,
      () => now,
    );
    stream.push(m(1));
    expect(sent).toEqual([[1]]);
    now = 50;
    stream.push(m(2));
    now = 120;
    stream.push(m(3));
    expect(sent).toEqual([[1]]);
    now = 210;
    stream.push(m(4));
    expect(sent).toEqual([[1], [2, 3, 4]]);
    now = 260;
    stream.push(m(5));
    stream.flush();
    expect(sent).toEqual([[1], [2, 3, 4], [5]]);
    stream.flush();
    expect(sent).toHaveLength(3);
  });

  test('a trailing timer sends the last records of a burst', async () => {
    const sent: number[][] = [];
    const stream = new MetricsStream((b) => sent.push(b.map((r) => r.update)), 20);
    stream.push({ update: 1 } as UpdateMetrics);
    stream.push({ update: 2 } as UpdateMetrics);
    expect(sent).toEqual([[1]]);
    await new Promise((ok) => setTimeout(ok, 60));
    expect(sent).toEqual([[1], [2]]);
  });
});
