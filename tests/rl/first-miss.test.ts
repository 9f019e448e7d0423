// The first-miss recorder: the oracle never misses; an agent that follows the oracle except at
// one step is caught at that step, with the kind of miss it made; the summary counts the
// failed episodes' first misses by kind.
import { describe, expect, it } from 'vitest';
import { oracleAgent } from '../../src/envs/suites';
import type { Action } from '../../src/envs/types';
import { fromSuiteAgent, type BatchAgent } from '../../src/rl/agent';
import { evaluateSuite, firstMissRecorder } from '../../src/rl/eval';

const COUNT = 24;

/** The oracle, except that at step `at` of every episode it does `wrong(request)` instead. */
function oracleMissingAt(
  at: number,
  wrong: (obs: Parameters<BatchAgent['act']>[0][0]) => Action | null,
): BatchAgent {
  const oracle = fromSuiteAgent(oracleAgent());
  let step = 0;
  return {
    ...oracle,
    begin(info) {
      step = 0;
      oracle.begin?.(info);
    },
    async act(requests) {
      const [action] = await oracle.act(requests);
      return [(step++ === at ? wrong(requests[0]) : null) ?? action];
    },
  };
}

describe('first misses of online episodes', () => {
  it('finds none for the oracle, whose episodes all succeed', async () => {
    const misses = firstMissRecorder();
    const r = await evaluateSuite(fromSuiteAgent(oracleAgent()), 'mobile-online', {
      count: COUNT,
      misses,
    });
    expect(r.kind === 'online' && r.successRate).toBe(1);
    expect(misses.episodes).toHaveLength(COUNT);
    expect(misses.episodes.every((e) => e.success && e.firstMiss === null)).toBe(true);
    expect(misses.summary()).toEqual([
      { suite: 'mobile-online', episodes: COUNT, failed: 0, kinds: [] },
    ]);
  });

  it('catches a lost turn, and a click on another element, at the step it happened', async () => {
    const lost = firstMissRecorder();
    await evaluateSuite(
      oracleMissingAt(1, () => ({ type: 'wait' })),
      'mobile-online',
      { count: COUNT, misses: lost },
    );
    for (const e of lost.episodes) {
      expect(e.firstMiss, e.template).toMatchObject({ step: 1, kind: 'lost turn' });
      expect(e.firstMiss!.executed).toBe('wait');
    }

    // At the start screen every task opens an app by its button: click another app's button.
    const elsewhere = firstMissRecorder();
    await evaluateSuite(
      oracleMissingAt(0, (r) => {
        const buttons = r.observation.elements.filter((el) => el.role === 'button');
        return { type: 'click', id: buttons[buttons.length - 1].id === 1 ? 2 : 1 };
      }),
      'mobile-online',
      { count: COUNT, misses: elsewhere },
    );
    const kinds = elsewhere.episodes.map((e) => e.firstMiss?.kind ?? 'none');
    expect(kinds.filter((k) => k === 'wrong element').length).toBeGreaterThan(COUNT / 2);
    for (const e of elsewhere.episodes)
      if (e.firstMiss) expect(e.firstMiss.reference).not.toBe(e.firstMiss.executed);
  });

  it('counts the failed episodes by the kind of their first miss', async () => {
    // Answering at once ends every episode unsolved: its first miss is at step 0.
    const misses = firstMissRecorder();
    const r = await evaluateSuite(
      oracleMissingAt(0, () => ({ type: 'done' })),
      'mobile-online',
      { count: COUNT, misses },
    );
    expect(r.kind === 'online' && r.successRate).toBe(0);
    const [summary] = misses.summary();
    expect(summary.failed).toBe(COUNT);
    expect(summary.kinds.reduce((n, [, k]) => n + k, 0)).toBe(COUNT);
    for (const [kind] of summary.kinds) expect(kind).toMatch(/^\w+ → done$/);
  });
});
