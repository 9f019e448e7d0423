// Benchmark suites: sizes, determinism, disjoint splits, the oracle's ceiling and the
// baselines' floor, and how results aggregate.
import { describe, expect, it } from 'vitest';
import { TEMPLATES, type AnyTemplate } from '../../src/envs';
import {
  EVALUATION_SPLITS,
  SEED_RANGES,
  SPLITS,
  SUITE_NAMES,
  SUITES,
  evaluate,
  evaluationInstances,
  headlineMetrics,
  heuristicAgent,
  logEpisode,
  offlineLog,
  oracleAgent,
  randomAgent,
  suiteInstances,
  suitesOfTemplate,
  toPredicted,
  toReference,
  type GuiInstance,
  type SuiteName,
} from '../../src/envs/suites';
import { stepSuccess } from '../../src/envs/metrics';

const key = (i: { split: string; seed: number; template?: string }) =>
  `${i.template ?? ''}#${i.seed}`;

function fake(tags: Partial<AnyTemplate['tags']>, extra: Partial<AnyTemplate> = {}): AnyTemplate {
  return {
    ...[...TEMPLATES.values()][0],
    tags: { suite: 'none', split: 'train', category: 'basic', ...tags },
    ...extra,
  };
}

describe('suite membership', () => {
  it('maps the tags the app engineers use, and falls back to platform and apps', () => {
    expect(suitesOfTemplate(fake({ suite: 'android-world' }))).toEqual([
      'mobile-online',
      'mobile-offline-high',
    ]);
    expect(suitesOfTemplate(fake({ suite: 'Mind2Web' }))).toEqual(['web-offline']);
    expect(suitesOfTemplate(fake({ suite: 'gui-odyssey' }))).toEqual(['cross-app-offline']);
    expect(suitesOfTemplate(fake({ suite: 'osworld' }))).toEqual(['desktop-online']);
    expect(suitesOfTemplate(fake({ suite: 'x' }, { platform: 'desktop' }))).toEqual([
      'desktop-online',
    ]);
    expect(suitesOfTemplate(fake({ suite: 'x' }, { platform: 'web' }))).toEqual(['web-offline']);
    expect(suitesOfTemplate(fake({ suite: 'x' }, { apps: ['mail', 'shop'] }))).toEqual([
      'cross-app-offline',
    ]);
    expect(suitesOfTemplate(fake({ suite: 'x' }, { apps: ['mail'], platform: 'mobile' }))).toEqual([
      'mobile-online',
      'mobile-offline-high',
    ]);
  });

  it('puts every registered template in at least one suite', () => {
    for (const t of TEMPLATES.values()) expect(suitesOfTemplate(t).length, t.id).toBeGreaterThan(0);
  });
});

describe('suite sizes and determinism', () => {
  it.each(SUITE_NAMES.filter((s) => SUITES[s].kind !== 'offline'))(
    '%s has its full size of benchmark tasks, the same on every call',
    (suite) => {
      const a = evaluationInstances(suite);
      expect(a.length, `${suite}: no templates feed this suite`).toBe(SUITES[suite].size);
      expect(SUITES[suite].size).toBeGreaterThanOrEqual(100);
      expect(evaluationInstances(suite)).toEqual(a);
      // Instances are distinct tasks.
      expect(new Set(a.map((i) => JSON.stringify(i))).size).toBe(a.length);
    },
  );

  it.each(SUITE_NAMES.filter((s) => SUITES[s].kind === 'offline'))(
    '%s logs at least 500 solved steps with goal, state, elements, action and target box',
    (suite) => {
      const log = offlineLog(suite);
      expect(log.steps.length).toBeGreaterThanOrEqual(500);
      expect(log.unsolved).toEqual([]);
      for (const s of log.steps) {
        expect(s.goal.length).toBeGreaterThan(0);
        expect(s.observation.elements.length).toBeGreaterThan(0);
        if (s.reference.type === 'click') expect(s.reference.box).toBeDefined();
      }
      expect(log.steps.at(-1)!.reference.type).toBe('done');
    },
  );

  it('regenerates an offline episode byte for byte from its seed', () => {
    const first = offlineLog('web-offline').steps.filter((s) => s.episode === 3);
    const again = logEpisode(first[0].instance, 3)!;
    const strip = (steps: typeof first) =>
      JSON.stringify(
        steps.map(({ world, reference, history, observation }) => ({
          world,
          reference,
          history,
          observation,
        })),
      );
    expect(strip(again)).toBe(strip(first));
  });
});

describe('splits', () => {
  it('uses disjoint seed ranges', () => {
    const ranges = SPLITS.map((s) => SEED_RANGES[s]);
    for (let i = 1; i < ranges.length; i++)
      expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
  });

  it.each(SUITE_NAMES)('%s: train never meets an evaluation instance', (suite: SuiteName) => {
    const train = suiteInstances(suite, 'train', 300);
    expect(train.length).toBe(300);
    const evalKeys = new Set(evaluationInstances(suite).map(key));
    for (const i of train) {
      expect(i.split).toBe('train');
      expect(evalKeys.has(key(i))).toBe(false);
    }
    for (const i of evaluationInstances(suite)) expect(EVALUATION_SPLITS).toContain(i.split);
  });

  it('keeps held-out templates out of training', () => {
    for (const suite of SUITE_NAMES) {
      if (SUITES[suite].kind === 'tools') continue;
      const trained = new Set(
        suiteInstances(suite, 'train', 500).map((i) => (i as GuiInstance).template),
      );
      for (const split of ['held-out-templates', 'held-out-apps'] as const) {
        for (const i of suiteInstances(suite, split, 50)) {
          expect(trained.has((i as GuiInstance).template)).toBe(false);
          expect(TEMPLATES.get((i as GuiInstance).template)!.tags.split).toBe(split);
        }
      }
      // held-out-params: the seen templates with other seeds.
      for (const i of suiteInstances(suite, 'held-out-params', 50))
        expect(trained.has((i as GuiInstance).template)).toBe(true);
    }
  });

  it('two suites that share templates never share an instance', () => {
    const online = new Set(evaluationInstances('mobile-online').map(key));
    const offline = offlineLog('mobile-offline-high').steps.map((s) => key(s.instance));
    for (const k of offline) expect(online.has(k)).toBe(false);
  });
});

describe('agents on the suites', () => {
  // The full 100-task online suites take about a second each for the oracle.
  it.each(SUITE_NAMES)('the oracle solves every benchmark task of %s', (suite) => {
    const r = evaluate(oracleAgent(), suite);
    for (const [label, value] of headlineMetrics(r)) expect(value, `${suite} ${label}`).toBe(1);
    if (r.kind === 'online') expect(r.tasks).toBe(100);
  });

  it.each(SUITE_NAMES)(
    'random and heuristic agents score in [0,1] and below the oracle on %s',
    (suite) => {
      for (const agent of [randomAgent(7), heuristicAgent()]) {
        const r = evaluate(agent, suite);
        const values = headlineMetrics(r).map(([, v]) => v);
        for (const v of values) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
        expect(values[0], `${agent.name} on ${suite}`).toBeLessThan(1);
      }
    },
  );

  it('the random agent is reproducible from its seed and differs between seeds', () => {
    const a = evaluate(randomAgent(3), 'web-offline');
    expect(evaluate(randomAgent(3), 'web-offline')).toEqual(a);
    expect(evaluate(randomAgent(4), 'web-offline')).not.toEqual(a);
  });

  it('the heuristic beats random on the offline suites', () => {
    for (const suite of ['mobile-offline-high', 'cross-app-offline', 'web-offline'] as const) {
      const h = evaluate(heuristicAgent(), suite);
      const r = evaluate(randomAgent(0), suite);
      expect(headlineMetrics(h)[0][1]).toBeGreaterThan(headlineMetrics(r)[0][1]);
    }
  });
});

describe('aggregation', () => {
  it('scores a logged step by action type, box and text', () => {
    const step = offlineLog('mobile-offline-high').steps.find((s) => s.reference.type === 'click')!;
    const ref = toReference(step.reference);
    const box = step.reference.box!;
    expect(stepSuccess(toPredicted(step.reference.action, step.observation), ref)).toBe(true);
    const outside = { type: 'click' as const, x: box.x + box.w + 3, y: box.y + box.h + 3 };
    expect(stepSuccess(toPredicted(outside, step.observation), ref)).toBe(false);
    expect(stepSuccess(toPredicted({ type: 'back' }, step.observation), ref)).toBe(false);
    const typed = toReference({
      type: 'type',
      action: { type: 'type', text: 'See you at 5' },
      instruction: '',
    });
    expect(stepSuccess({ type: 'type', text: 'see you at five' }, typed)).toBe(true); // F1 0.75
    expect(stepSuccess({ type: 'type', text: 'hello' }, typed)).toBe(false);
  });

  it('reports per-split online rates that add up to the overall rate', () => {
    const r = evaluate(randomAgent(1), 'mobile-online', { count: 40 });
    if (r.kind !== 'online') throw new Error('expected an online result');
    expect(r.tasks).toBe(40);
    const parts = Object.values(r.bySplit);
    expect(parts.reduce((n, p) => n + p.tasks, 0)).toBe(40);
    const weighted = parts.reduce((s, p) => s + p.tasks * p.successRate, 0) / 40;
    expect(weighted).toBeCloseTo(r.successRate, 12);
  });

  it('reports GAIA-style accuracy per level with a third of the tasks each', () => {
    const r = evaluate(oracleAgent(), 'tools-multihop');
    if (r.kind !== 'tools') throw new Error('expected a tools result');
    expect(Object.keys(r.byLevel).sort()).toEqual(['1', '2', '3']);
    for (const l of [1, 2, 3]) expect(r.byLevel[l].episodes).toBeGreaterThanOrEqual(33);
  });
});
