// The stage-1 update rows of the benchmark: whole GRPO updates (KV-cache sampling, scoring,
// frozen reference forward, policy forward, backward, clip, AdamW) as the trainer runs them,
// per backend, in the quick-demo and `small` shapes. Each backend trains in blocks of
// updates, blocks alternating between backends; an update's time is the span between two
// consecutive metrics callbacks (the first update of a block pays set-up and the last pays
// the final evaluation, so neither is counted). Medians, CPU time beside wall time.
import type { Backend } from '../../kernels/backend';
import { cpuTimeMs } from '../../kernels/profile';
import { validateSettings, type TrainSettings } from '../../rl/config/schema';
import type { Vocab } from '../../text/vocab';
import type { CheckpointState } from '../../rl/model/checkpoint';
import { STAGE } from '../../rl/stage-list';
import { train } from '../../rl/trainer';
import { median } from '../timing';
import { totalMultiplyAdds, WorkCounter, type WorkCounts } from '../../kernels/work-count';

export interface UpdateTime {
  wall: number;
  cpu: number;
}

/** Settings of a timed block: the preset, no evaluations or checkpoints in between. */
export function benchSettings(preset: string): TrainSettings {
  return validateSettings({ preset, run: { evalEvery: 0, checkpointSeconds: 0 } });
}

/** `updates` stage-1 updates as the trainer runs them, `onUpdate` after each. */
async function trainStage1(
  be: Backend,
  settings: TrainSettings,
  vocab: Vocab,
  init: CheckpointState | undefined,
  updates: number,
  onUpdate: () => void,
): Promise<void> {
  await train({ be, settings, stage: STAGE.trajectory, vocab, init, updates, onMetrics: onUpdate });
}

/** `count` timed stage-1 updates on `be` (count + 2 run); per-update wall and CPU ms. */
export async function timeStage1Updates(
  be: Backend,
  settings: TrainSettings,
  vocab: Vocab,
  init: CheckpointState | undefined,
  count: number,
): Promise<UpdateTime[]> {
  const marks: UpdateTime[] = [];
  await trainStage1(be, settings, vocab, init, count + 2, () =>
    marks.push({ wall: performance.now(), cpu: cpuTimeMs() }),
  );
  const times: UpdateTime[] = [];
  for (let i = 1; i <= count; i++) {
    times.push({ wall: marks[i].wall - marks[i - 1].wall, cpu: marks[i].cpu - marks[i - 1].cpu });
  }
  return times;
}

export interface Stage1Contender {
  name: string;
  be: Backend;
  /** Blocks to run and timed updates per block (a slow contender runs fewer). */
  blocks: number;
  updates: number;
}

/** Blocks of updates, alternating between contenders; medians per contender. */
export async function stage1SideBySide(
  contenders: readonly Stage1Contender[],
  settings: TrainSettings,
  vocab: Vocab,
  init: CheckpointState | undefined,
): Promise<Record<string, UpdateTime & { updates: number }>> {
  const samples = new Map<string, UpdateTime[]>(contenders.map((c) => [c.name, []]));
  const most = Math.max(...contenders.map((c) => c.blocks));
  for (let b = 0; b < most; b++) {
    for (const c of contenders) {
      if (b >= c.blocks) continue;
      const t = await timeStage1Updates(c.be, settings, vocab, init, c.updates);
      samples.get(c.name)!.push(...t);
    }
  }
  const out: Record<string, UpdateTime & { updates: number }> = {};
  for (const [name, xs] of samples) {
    out[name] = {
      wall: median(xs.map((x) => x.wall)),
      cpu: median(xs.map((x) => x.cpu)),
      updates: xs.length,
    };
  }
  return out;
}

/**
 * The multiply-adds of one stage-1 update (a floor: see work-count.ts), counted over `count`
 * updates on `be` (one more runs: the last also pays the final evaluation); the median one's.
 */
export async function countStage1Work(
  be: Backend,
  settings: TrainSettings,
  vocab: Vocab,
  init: CheckpointState | undefined,
  count: number,
): Promise<WorkCounts> {
  const counter = new WorkCounter(be);
  const perUpdate: WorkCounts[] = [];
  await trainStage1(counter.backend, settings, vocab, init, count + 1, () =>
    perUpdate.push(counter.take()),
  );
  // Sampling stops at the group's last <eos>, so updates differ; take the median one.
  const counted = perUpdate
    .slice(0, count)
    .sort((a, b) => totalMultiplyAdds(a) - totalMultiplyAdds(b));
  return counted[Math.floor((counted.length - 1) / 2)];
}
