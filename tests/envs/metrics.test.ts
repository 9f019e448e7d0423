import { describe, expect, it } from 'vitest';
import {
  accuracyByLevel,
  answersMatch,
  elementCorrect,
  formatMeanStd,
  meanStd,
  normalizeAnswer,
  offlineMetrics,
  operationF1,
  pointInBox,
  stepSuccess,
  successRate,
  tokenF1,
  toolChoiceScore,
  toolSuiteMetrics,
  type ReferenceStep,
  type ToolEpisodeLog,
} from '../../src/envs/metrics';

const box = { x: 10, y: 20, w: 30, h: 10, id: 'btn-ok' };

describe('text metrics', () => {
  it('normalises case, punctuation, articles and number formatting', () => {
    expect(normalizeAnswer('The  Eiffel-Tower!')).toBe('eiffel tower');
    expect(normalizeAnswer('Réykjavík')).toBe('reykjavik');
    expect(normalizeAnswer('1,000')).toBe('1000');
    expect(normalizeAnswer('1000.0')).toBe('1000');
    expect(normalizeAnswer('$1,234,567.50')).toBe('1234567.5');
    expect(normalizeAnswer('-3.20 km')).toBe('-3.2 km');
  });

  it('matches answers regardless of formatting but not of value', () => {
    expect(answersMatch('1,000', '1000')).toBe(true);
    expect(answersMatch('1000.0', '1000')).toBe(true);
    expect(answersMatch('1000.00 km', '1,000 KM')).toBe(true);
    expect(answersMatch('  paris. ', 'Paris')).toBe(true);
    expect(answersMatch('1001', '1000')).toBe(false);
    expect(answersMatch('10,00', '1000')).toBe(false); // not a thousands separator
    expect(answersMatch('100', '1000')).toBe(false);
    expect(answersMatch('-5', '5')).toBe(false);
    expect(answersMatch('Paris France', 'Paris')).toBe(false);
    expect(answersMatch('', '')).toBe(false);
  });

  it('token F1 on both sides of 0.5', () => {
    expect(tokenF1('hello world', 'hello world')).toBe(1);
    expect(tokenF1('hello there', 'hello world')).toBe(0.5);
    // one of three predicted tokens, one of two reference tokens: P=1/3, R=1/2, F1=0.4
    expect(tokenF1('hello big planet', 'hello world')).toBeCloseTo(0.4, 10);
    // P=2/3, R=1 -> 0.8
    expect(tokenF1('send the report now', 'send report')).toBeCloseTo(
      (2 / 3 / (2 / 3 + 1)) * 2,
      10,
    );
    expect(tokenF1('abc', 'xyz')).toBe(0);
    expect(tokenF1('', '')).toBe(1);
    expect(tokenF1('word', '')).toBe(0);
    // repeated tokens count once per occurrence
    expect(tokenF1('go go go', 'go')).toBeCloseTo(0.5, 10);
  });
});

describe('step metrics', () => {
  it('point in box is inclusive of the border', () => {
    expect(pointInBox({ x: 25, y: 25 }, box)).toBe(true);
    expect(pointInBox({ x: 10, y: 20 }, box)).toBe(true); // top-left corner
    expect(pointInBox({ x: 40, y: 30 }, box)).toBe(true); // bottom-right corner
    expect(pointInBox({ x: 40.01, y: 25 }, box)).toBe(false);
    expect(pointInBox({ x: 9.99, y: 25 }, box)).toBe(false);
    expect(pointInBox({ x: 25, y: 31 }, box)).toBe(false);
  });

  const click: ReferenceStep = { type: 'click', target: box };
  it('click: type and point must match', () => {
    expect(stepSuccess({ type: 'click', point: { x: 12, y: 22 } }, click)).toBe(true);
    expect(stepSuccess({ type: 'CLICK', point: { x: 40, y: 30 } }, click)).toBe(true);
    expect(stepSuccess({ type: 'click', point: { x: 50, y: 22 } }, click)).toBe(false);
    expect(stepSuccess({ type: 'longpress', point: { x: 12, y: 22 } }, click)).toBe(false);
    expect(stepSuccess({ type: 'click' }, click)).toBe(false); // no point given
  });

  it('type: text F1 must reach 0.5', () => {
    const type: ReferenceStep = { type: 'type', text: 'hello world' };
    expect(stepSuccess({ type: 'type', text: 'Hello, world!' }, type)).toBe(true);
    expect(stepSuccess({ type: 'type', text: 'hello there' }, type)).toBe(true); // F1 = 0.5
    expect(stepSuccess({ type: 'type', text: 'hello big planet' }, type)).toBe(false); // 0.4
    expect(stepSuccess({ type: 'type' }, type)).toBe(false);
    expect(stepSuccess({ type: 'click', text: 'hello world' }, type)).toBe(false);
  });

  it('scroll: direction must match', () => {
    const scroll: ReferenceStep = { type: 'scroll', direction: 'down' };
    expect(stepSuccess({ type: 'scroll', direction: 'down' }, scroll)).toBe(true);
    expect(stepSuccess({ type: 'scroll', direction: 'up' }, scroll)).toBe(false);
    expect(stepSuccess({ type: 'scroll' }, scroll)).toBe(false);
  });

  it('element accuracy uses ids when both sides have one, else the point', () => {
    expect(elementCorrect({ type: 'click', elementId: 'btn-ok' }, click)).toBe(true);
    expect(
      elementCorrect({ type: 'click', elementId: 'btn-x', point: { x: 12, y: 22 } }, click),
    ).toBe(false);
    expect(elementCorrect({ type: 'type', point: { x: 12, y: 22 } }, click)).toBe(true);
    expect(elementCorrect({ type: 'click', point: { x: 0, y: 0 } }, click)).toBe(false);
    expect(elementCorrect({ type: 'click', point: { x: 12, y: 22 } }, { type: 'back' })).toBe(
      false,
    );
  });

  it('operation F1 scores the operation and its value', () => {
    const ref: ReferenceStep = { type: 'type', text: 'new york', target: box };
    expect(operationF1({ type: 'type', text: 'New York' }, ref)).toBe(1);
    expect(operationF1({ type: 'click' }, { type: 'click', target: box })).toBe(1);
    // "type new" vs "type new york": P=1, R=2/3 -> 0.8
    expect(operationF1({ type: 'type', text: 'new' }, ref)).toBeCloseTo(0.8, 10);
    expect(operationF1({ type: 'click' }, ref)).toBe(0);
  });

  it('aggregates offline metrics over steps', () => {
    const m = offlineMetrics([
      { predicted: { type: 'click', point: { x: 12, y: 22 } }, reference: click },
      { predicted: { type: 'type', text: 'hi' }, reference: { type: 'type', text: 'hi' } },
      { predicted: { type: 'click', point: { x: 0, y: 0 } }, reference: click },
      {
        predicted: { type: 'scroll', direction: 'up' },
        reference: { type: 'scroll', direction: 'down' },
      },
    ]);
    expect(m.steps).toBe(4);
    expect(m.stepSuccessRate).toBe(0.5);
    expect(m.elementAccuracy).toBe(0.5); // only the two targeted steps count
    expect(m.operationF1).toBe(0.875); // 1 + 1 + 1 + 0.5 ("scroll up" vs "scroll down")
    expect(offlineMetrics([]).stepSuccessRate).toBe(0);
  });
});

describe('aggregation', () => {
  it('success rate and mean ± std over seeds', () => {
    expect(successRate([true, false, true, true])).toBe(0.75);
    expect(successRate([])).toBe(0);
    const s = meanStd([0.5, 0.7, 0.6]);
    expect(s.mean).toBeCloseTo(0.6, 12);
    expect(s.std).toBeCloseTo(0.1, 12); // sample std (n − 1)
    expect(s.n).toBe(3);
    expect(meanStd([0.4])).toEqual({ mean: 0.4, std: 0, n: 1 });
    expect(formatMeanStd(s, 1, 100)).toBe('60.0 ± 10.0');
  });
});

describe('tool-suite metrics', () => {
  const logs: ToolEpisodeLog[] = [
    {
      answer: '1,000',
      gold: '1000',
      calls: [
        { tool: 'knowledge', ok: true },
        { tool: 'calculator', ok: true },
      ],
      referenceTools: ['knowledge', 'calculator'],
      level: 1,
    },
    {
      answer: 'Rome',
      gold: 'Paris',
      calls: [
        { tool: 'knowledge', ok: false },
        { tool: 'knowledge', ok: true },
        { tool: 'calculator', ok: true },
      ],
      referenceTools: ['knowledge', 'table_lookup'],
      level: 2,
    },
    { answer: 'paris', gold: 'Paris', calls: [], referenceTools: ['knowledge'], level: 2 },
  ];

  it('tool choice: multiset overlap over the longer list', () => {
    expect(toolChoiceScore(['a', 'b'], ['b', 'a'])).toBe(1);
    expect(toolChoiceScore(['a', 'a', 'c'], ['a', 'b'])).toBeCloseTo(1 / 3, 12);
    expect(toolChoiceScore([], ['a'])).toBe(0);
    expect(toolChoiceScore([], [])).toBe(1);
  });

  it('answer accuracy, tool accuracy and execution rate (GTA)', () => {
    const m = toolSuiteMetrics(logs);
    expect(m.episodes).toBe(3);
    expect(m.answerAccuracy).toBeCloseTo(2 / 3, 12);
    expect(m.toolAccuracy).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
    expect(m.executionRate).toBeCloseTo(4 / 5, 12);
  });

  it('accuracy by level (GAIA)', () => {
    const a = accuracyByLevel(logs);
    expect(a.overall).toBeCloseTo(2 / 3, 12);
    expect(a.byLevel).toEqual({
      1: { episodes: 1, accuracy: 1 },
      2: { episodes: 2, accuracy: 0.5 },
    });
    expect(a.byLevel[3]).toBeUndefined();
  });
});
