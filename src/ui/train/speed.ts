// Time estimates from speed measured here, never guessed: while a run trains, the seconds per
// update of each stage (wall clock, evaluations and checkpoints included) are kept in the
// browser under a key of everything that sets a stage's cost — the backend asked for, the
// model shape, the batch and group sizes, the evaluation cadence. A preset's estimate is its
// planned updates times the measured seconds of each stage; a stage not yet measured with
// those settings says so instead of inventing a number.
import type { TrainSettings } from '../../rl/config/schema';
import { isSupervised, STAGES, stageUpdates, type Stage } from '../../rl/stage-list';
import type { MetricColumns } from '../dashboard/metric-table';

const STORAGE_KEY = 'tracelab.speed.v1';

/** The settings a stage's seconds per update depend on, as one string. */
export function speedKey(s: TrainSettings, stage: Stage): string {
  const cost = isSupervised(stage)
    ? { batch: s.data.batchSize }
    : { G: s.grpo.groupSize, prompts: s.grpo.promptsPerUpdate, epochs: s.grpo.innerEpochs };
  return JSON.stringify({
    stage,
    backend: s.run.backend,
    model: s.model,
    ...cost,
    evalEvery: s.run.evalEvery,
    evalSize: s.run.evalSize,
    checkpointEvery: s.run.checkpointEvery,
  });
}

/**
 * Mean wall-clock seconds per update of one stage in these columns: the elapsed time between
 * consecutive rows of that stage (a resumed run's clock restarts; that gap is skipped).
 */
export function measuredSeconds(
  c: MetricColumns,
  stage: Stage,
): { seconds: number; samples: number } | null {
  let sum = 0;
  let samples = 0;
  for (let i = 1; i < c.length; i++) {
    if (c.stage[i] !== stage || c.stage[i - 1] !== stage) continue;
    const dt = c.elapsed[i] - c.elapsed[i - 1];
    if (!(dt > 0)) continue;
    sum += dt;
    samples++;
  }
  return samples === 0 ? null : { seconds: sum / samples, samples };
}

interface Entry {
  seconds: number;
  samples: number;
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

function readEntries(storage: KeyValueStore | null): Record<string, Entry> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Entry>) : {};
  } catch {
    return {}; // a damaged record only loses old measurements
  }
}

/** Measured seconds per update by speedKey, kept in localStorage (or any key-value store). */
export class SpeedBook {
  #entries: Record<string, Entry>;

  constructor(private readonly storage: KeyValueStore | null) {
    this.#entries = readEntries(storage);
  }

  get(key: string): Entry | null {
    const e = this.#entries[key];
    return e && Number.isFinite(e.seconds) && e.seconds > 0 ? e : null;
  }

  /** Keep the measurement with more samples behind it (a longer run measured it better). */
  record(key: string, m: Entry): void {
    const old = this.get(key);
    if (old && old.samples > m.samples) return;
    this.#entries[key] = m;
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.#entries));
    } catch {
      // Storage full or blocked: the estimate just stays unmeasured.
    }
  }
}

export interface StageEstimate {
  stage: Stage;
  updates: number;
  /** Seconds for the stage's planned updates, or null when not measured with these settings. */
  seconds: number | null;
}

/** Per stage with planned updates: its measured time, or null. */
export function estimate(book: SpeedBook, s: TrainSettings, stages = STAGES): StageEstimate[] {
  return stages
    .filter((stage) => stageUpdates(s, stage) > 0)
    .map((stage) => {
      const updates = stageUpdates(s, stage);
      const m = book.get(speedKey(s, stage));
      return { stage, updates, seconds: m ? m.seconds * updates : null };
    });
}

/** "45 s", "12 min", "2.5 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Number((seconds / 3600).toFixed(1))} h`;
}

/** Seconds left for a run at `at` with `planned` updates per stage, and stages not yet timed. */
export function remaining(
  book: SpeedBook,
  s: TrainSettings,
  planned: readonly number[],
  at: { stage: Stage; update: number },
): { seconds: number; untimed: Stage[] } {
  let seconds = 0;
  const untimed: Stage[] = [];
  for (const stage of STAGES) {
    const left =
      stage < at.stage ? 0 : stage === at.stage ? planned[stage] - at.update : planned[stage];
    if (left <= 0) continue;
    const m = book.get(speedKey(s, stage));
    if (m) seconds += left * m.seconds;
    else untimed.push(stage);
  }
  return { seconds, untimed };
}
