// Where an online episode first leaves the oracle's path: at every step the oracle solves the
// task again from the state the agent is in, and the first step whose executed action differs
// from the oracle's next step is the episode's first miss. Counting the kinds of first misses
// over the failed episodes says what an agent cannot yet do (pick the named list item, type
// the instruction's text, know when to scroll) rather than only how often it fails.
//
//   const misses = firstMissRecorder();
//   await evaluateSuites(agent, ['mobile-online'], { observer: misses.observer });
//   misses.summary()   // [{ suite, failed, kinds: { 'wrong element': 46, 'scroll → click': 5 } }]
import type { SuiteName } from '../../envs/suites';
import { ELEMENT_ACTIONS } from '../../envs/types';
import { describeExecuted, type LoopObserver } from '../agent/receding-horizon';

/** The first step of an episode where the agent did not do what the oracle would. */
export interface FirstMiss {
  /** Steps executed before it. */
  step: number;
  /**
   * 'wrong element' (the right action type on another element), 'wrong argument' (typed
   * text, scroll direction, app or answer), 'lost turn' (a wait the oracle did not ask for),
   * else `<oracle's type> → <agent's type>`.
   */
  kind: string;
  /** What the agent executed and what the oracle's step was, as step instructions. */
  executed: string;
  reference: string;
}

export interface EpisodeMisses {
  suite: SuiteName;
  template: string;
  success: boolean;
  firstMiss: FirstMiss | null;
}

export interface MissSummary {
  suite: SuiteName;
  episodes: number;
  failed: number;
  /** First-miss kinds over the failed episodes, most frequent first. */
  kinds: [string, number][];
}

function missKind(referenceType: string, executedType: string): string {
  if (referenceType !== executedType)
    return executedType === 'wait' ? 'lost turn' : `${referenceType} → ${executedType}`;
  return ELEMENT_ACTIONS.has(referenceType) ? 'wrong element' : 'wrong argument';
}

/** An observer for the online loop that records each episode's first miss. */
export function firstMissRecorder() {
  const episodes: EpisodeMisses[] = [];
  // The loop numbers episodes from 0 per call; a suite's run is one call.
  let open = new Map<number, EpisodeMisses>();
  let suite: SuiteName | null = null;
  const observer: LoopObserver = {
    beforeStep({ episode, ep, obs, action }) {
      let record = open.get(episode);
      if (!record) {
        record = { suite: suite!, template: ep.task.template.id, success: false, firstMiss: null };
        open.set(episode, record);
        episodes.push(record);
      }
      if (record.firstMiss) return;
      const reference = ep.oracle().steps[0];
      if (!reference) return;
      const executed = describeExecuted(obs, action);
      if (executed.instruction === reference.instruction) return;
      record.firstMiss = {
        step: ep.steps,
        kind: missKind(reference.type, executed.type),
        executed: executed.instruction,
        reference: reference.instruction,
      };
    },
    afterStep({ episode, ep }) {
      if (ep.done) open.get(episode)!.success = ep.success;
    },
  };
  return {
    observer,
    /** Call before each suite's episodes: they are recorded under its name. */
    startSuite(name: SuiteName) {
      suite = name;
      open = new Map();
    },
    episodes: episodes as readonly EpisodeMisses[],
    summary(): MissSummary[] {
      const out: MissSummary[] = [];
      for (const name of new Set(episodes.map((e) => e.suite))) {
        const mine = episodes.filter((e) => e.suite === name);
        const counts = new Map<string, number>();
        for (const e of mine) {
          if (e.success) continue;
          const kind = e.firstMiss?.kind ?? 'no miss (ran out of steps)';
          counts.set(kind, (counts.get(kind) ?? 0) + 1);
        }
        out.push({
          suite: name,
          episodes: mine.length,
          failed: mine.filter((e) => !e.success).length,
          kinds: [...counts].sort((a, b) => b[1] - a[1]),
        });
      }
      return out;
    },
  };
}

export type FirstMissRecorder = ReturnType<typeof firstMissRecorder>;
