import { beforeAll, describe, expect, it } from 'vitest';
import { Episode, TEMPLATES, getTemplate, type RefStep } from '../../src/envs';
import { Rng } from '../../src/rng';
import { buildVocab } from '../../src/rl/lang/build-vocab';
import type { Vocab } from '../../src/text/vocab';
import {
  historyIds,
  idsToText,
  parseForecast,
  parseForecastText,
  planIds,
  planText,
  referencePlan,
  stepToAction,
  textToIds,
  writeForecast,
  type FormatErrorCode,
  type PlanStep,
} from '../../src/rl/lang/action-language';

let vocab: Vocab;
beforeAll(() => {
  vocab = buildVocab();
});

const H = 5;
const codes = (text: string, h = H) =>
  parseForecastText(vocab, text, { H: h }).errors.map((e) => e.code);

function oracleSteps(id: string, seed: number): RefStep[] {
  const r = new Episode(getTemplate(id), seed).oracle();
  expect(r.ok).toBe(true);
  return r.steps;
}

describe('writer', () => {
  it('writes the next H oracle steps, done only on the final done step', () => {
    const refs = oracleSteps('settings.wifi', 1);
    expect(writeForecast(vocab, refs, 4).text).toBe(
      "click [the Settings button] more | click [the item 'Network'] more | " +
        'click [the Wi-Fi toggle] more | done done',
    );
    // A window that stops before the end of the task is all `more`.
    const cut = writeForecast(vocab, refs, 2);
    expect(cut.text).toBe("click [the Settings button] more | click [the item 'Network'] more");
    expect(cut.steps.every((s) => s.status === 'more')).toBe(true);
  });

  it('writes typed text and scroll directions as quoted arguments', () => {
    const typed = writeForecast(vocab, oracleSteps('settings.rename-device', 1).slice(4), 3).text;
    expect(typed).toBe(
      'type [the Device name field] "Kitchen phone" more | click [the OK button] more | done done',
    );
    const scroll = writeForecast(vocab, oracleSteps('settings.mute-notifications', 1).slice(2), 1);
    expect(scroll.text).toBe('scroll "down" more');
  });

  it('gives ids that end with <eos> and agree with the text form both ways', () => {
    const w = writeForecast(vocab, oracleSteps('settings.rename-device', 2), 6);
    expect(w.ids[w.ids.length - 1]).toBe(vocab.eos);
    expect(textToIds(vocab, w.text)).toEqual(w.ids.slice(0, -1));
    expect(idsToText(vocab, w.ids)).toBe(w.text);
  });

  it('escapes brackets, quotes and backslashes in the text form', () => {
    const steps: PlanStep[] = [
      { type: 'click', target: 'the [draft] item\\', status: 'more' },
      { type: 'type', target: 'the Note field', arg: 'say "hi" \\o/ [ok] | 日本', status: 'more' },
      { type: 'answer', arg: '', status: 'more' },
      { type: 'done', status: 'done' },
    ];
    const text = planText(steps);
    expect(text).toContain('[the [draft\\] item\\\\]');
    const ids = planIds(vocab, steps);
    expect(textToIds(vocab, text)).toEqual(ids.slice(0, -1));
    expect(idsToText(vocab, ids)).toBe(text);
    const parsed = parseForecast(vocab, ids, { H });
    expect(parsed.steps).toEqual(steps);
    expect(parsed.errors.filter((e) => e.code !== 'missing-argument')).toEqual([]);
  });

  it('writes the last k executed steps as history, without status', () => {
    const refs = oracleSteps('settings.wifi', 1);
    const ids = historyIds(vocab, refs.slice(0, 3), 2);
    expect(idsToText(vocab, ids)).toBe("click [the item 'Network'] | click [the Wi-Fi toggle]");
    expect(ids).not.toContain(vocab.status('more'));
    expect(historyIds(vocab, [], 2)).toEqual([]);
  });
});

describe('writer → parser round trips on oracle trajectories', () => {
  it('parses back every template, several seeds, from every point of the episode', () => {
    let checked = 0;
    for (const template of TEMPLATES.values()) {
      for (const seed of [0, 1, 2, 3]) {
        const perturb = seed === 3 ? { popup: true, distractor: true, initialScroll: true } : {};
        const ep = new Episode(template, seed, { perturb });
        const solution = ep.oracle();
        if (!solution.ok) continue; // the envs tests own solvability
        for (let from = 0; from < solution.steps.length; from++) {
          for (const h of [1, 3, 10]) {
            const w = writeForecast(vocab, solution.steps.slice(from), h);
            const parsed = parseForecast(vocab, w.ids, { H: h });
            expect(parsed.errors, `${template.id}#${seed} from ${from}: ${w.text}`).toEqual([]);
            expect(parsed.steps).toEqual(w.steps);
            expect(parsed.ended).toBe(true);
            expect(textToIds(vocab, w.text)).toEqual(w.ids.slice(0, -1));
            expect(idsToText(vocab, w.ids)).toBe(w.text);
            expect(w.steps.length).toBe(Math.min(h, solution.steps.length - from));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('marks done exactly when the written window reaches the end of the task', () => {
    const refs = oracleSteps('settings.usb-debugging', 0);
    for (let h = 1; h <= refs.length; h++) {
      const steps = referencePlan(refs, h);
      const doneAt = steps.findIndex((s) => s.status === 'done');
      expect(doneAt).toBe(h === refs.length ? h - 1 : -1);
    }
  });
});

describe('parser on malformed forecasts', () => {
  const ids = (...parts: (number | string)[]) =>
    parts.flatMap((p) => (typeof p === 'number' ? [p] : vocab.encodeText(p)));

  it('accepts a well-formed forecast with no errors', () => {
    expect(codes('click [the Wi-Fi toggle] more | scroll "down" more | done done')).toEqual([]);
  });

  it('names an unknown action type', () => {
    const r = parseForecastText(vocab, 'clik [the Wi-Fi toggle] more', { H });
    expect(r.errors.map((e) => e.code)).toEqual(['unknown-type']);
    expect(r.errors[0].message).toContain('"clik"');
    expect(r.steps).toEqual([{ type: null, target: 'the Wi-Fi toggle', status: 'more' }]);
    expect(codes('more | done done')).toEqual(['unknown-type']);
  });

  it('reports a missing closing bracket and keeps the target', () => {
    const r = parseForecast(
      vocab,
      ids(
        vocab.action('click'),
        vocab.symbol('open'),
        'the Wi-Fi toggle',
        vocab.status('more'),
        vocab.eos,
      ),
      { H },
    );
    expect(r.errors.map((e) => e.code)).toEqual(['missing-bracket']);
    expect(r.steps).toEqual([{ type: 'click', target: 'the Wi-Fi toggle', status: 'more' }]);
    expect(codes('click the Wi-Fi toggle] more')).toEqual([
      'unexpected-text',
      'missing-bracket',
      'missing-target',
    ]);
  });

  it('reports an unterminated quote', () => {
    const r = parseForecast(
      vocab,
      ids(vocab.action('type'), vocab.symbol('quote'), 'hi', vocab.status('more'), vocab.eos),
      { H },
    );
    expect(r.errors.map((e) => e.code)).toEqual(['unterminated-quote']);
    expect(r.steps[0].arg).toBe('hi');
    expect(codes('type [the Subject field] "hi more')).toEqual([
      'unterminated-quote',
      'missing-status',
    ]);
  });

  it('reports a missing status', () => {
    expect(codes('click [the Wi-Fi toggle] | done done')).toEqual(['missing-status']);
    expect(codes('click [the Wi-Fi toggle]')).toEqual(['missing-status']);
  });

  it('reports empty steps, including an empty forecast and a trailing separator', () => {
    expect(codes('click [a] more | | done done')).toEqual(['empty-step']);
    expect(codes('click [a] more |')).toEqual(['empty-step']);
    expect(codes('')).toEqual(['empty-step']);
    expect(parseForecast(vocab, [vocab.eos], { H }).errors[0].message).toBe(
      'the forecast has no step',
    );
  });

  it('reports more than H steps', () => {
    expect(codes('back more | back more | home more', 2)).toEqual(['too-many-steps']);
    expect(codes('back more | back more', 2)).toEqual([]);
  });

  it('reports trailing garbage after a status and after <eos>', () => {
    expect(codes('click [a] more extra words | done done')).toEqual(['trailing-garbage']);
    const after = [...textToIds(vocab, 'done done'), vocab.eos, vocab.word('Network')!];
    expect(parseForecast(vocab, after, { H }).errors.map((e) => e.code)).toEqual([
      'trailing-garbage',
    ]);
    const padded = [...textToIds(vocab, 'done done'), vocab.eos, vocab.pad, vocab.pad];
    expect(parseForecast(vocab, padded, { H }).errors).toEqual([]);
  });

  it('reports a forecast cut off before <eos>', () => {
    const r = parseForecast(vocab, textToIds(vocab, 'click [a] more | done done'), { H });
    expect(r.errors.map((e) => e.code)).toEqual(['missing-end']);
    expect(r.ended).toBe(false);
    expect(r.steps).toHaveLength(2);
  });

  it('checks the fields each action type takes', () => {
    expect(codes('click more')).toEqual(['missing-target']);
    expect(codes('click [ ] more')).toEqual(['missing-target']);
    expect(codes('type [the Subject field] more')).toEqual(['missing-argument']);
    expect(codes('scroll more')).toEqual(['missing-argument']);
    expect(codes('open "" more')).toEqual(['missing-argument']);
    expect(codes('back [the Back button] more')).toEqual(['unexpected-field']);
    expect(codes('click [a] "b" more')).toEqual(['unexpected-field']);
    expect(codes('scroll "sideways" more')).toEqual(['bad-direction']);
    expect(codes('click [a] [b] more')).toEqual(['duplicate-field']);
    expect(codes('type "hi" more')).toEqual([]);
  });

  it('checks the statuses: done only last, and the done action says done', () => {
    expect(codes('click [a] done | done done')).toEqual(['early-done']);
    expect(codes('done more')).toEqual(['done-status']);
  });

  it('reads keywords inside a target as content', () => {
    const r = parseForecastText(vocab, 'click [go back when done] more', { H });
    expect(r.errors).toEqual([]);
    expect(r.steps[0].target).toBe('go back when done');
  });

  it('never throws on random ids, out-of-range ones included, and is deterministic', () => {
    const rng = new Rng(7);
    for (let k = 0; k < 1000; k++) {
      const len = rng.int(0, 40);
      const seq = Array.from({ length: len }, () =>
        rng.chance(0.05) ? rng.int(-3, vocab.size + 5) : rng.int(0, vocab.size - 1),
      );
      const a = parseForecast(vocab, seq, { H });
      expect(parseForecast(vocab, seq, { H })).toEqual(a);
      if (a.errors.length === 0) expect(a.steps.length).toBeGreaterThan(0);
      expect(() => idsToText(vocab, seq)).not.toThrow();
    }
  });
});

describe('executing a parsed step', () => {
  const first = (text: string) => parseForecastText(vocab, text, { H }).steps[0];

  it('maps typed, scroll, open, answer, back, home, wait and done steps', () => {
    expect(stepToAction(first('type [f] "Kitchen phone" more'))).toEqual({
      ok: true,
      action: { type: 'type', text: 'Kitchen phone' },
    });
    expect(stepToAction(first('scroll "down" more'))).toEqual({
      ok: true,
      action: { type: 'scroll', direction: 'down' },
    });
    expect(stepToAction(first('open "settings" more'))).toEqual({
      ok: true,
      action: { type: 'open', app: 'settings' },
    });
    // The app's label works too, in any case.
    expect(stepToAction(first('open "SETTINGS" more'))).toMatchObject({ ok: true });
    expect(stepToAction(first('answer "42" more'))).toEqual({
      ok: true,
      action: { type: 'answer', text: '42' },
    });
    for (const t of ['back', 'home', 'wait', 'done'] as const)
      expect(stepToAction(first(`${t} more`))).toEqual({ ok: true, action: { type: t } });
  });

  it('leaves clicks to the resolver and explains failures', () => {
    const click = first('click [the Wi-Fi toggle] more');
    expect(
      stepToAction(click, (s) => (s.target === 'the Wi-Fi toggle' ? { id: 3 } : null)),
    ).toEqual({
      ok: true,
      action: { type: 'click', id: 3 },
    });
    expect(stepToAction(first('longpress [x] more'), () => ({ x: 5, y: 9 }))).toEqual({
      ok: true,
      action: { type: 'longpress', x: 5, y: 9 },
    });
    expect(stepToAction(click, () => null)).toEqual({
      ok: false,
      error: 'no element matches "the Wi-Fi toggle"',
    });
    expect(stepToAction(click).ok).toBe(false);
    expect(stepToAction(first('open "nowhere" more'))).toEqual({
      ok: false,
      error: 'unknown app "nowhere"',
    });
    expect(stepToAction(first('scroll "sideways" more')).ok).toBe(false);
    expect(stepToAction(first('clik [x] more')).ok).toBe(false);
  });

  it('executes the first step of a written forecast in the world', () => {
    const ep = new Episode(getTemplate('settings.rename-device'), 1);
    ep.reset();
    // Walk the oracle by parsing each written forecast and executing its first step; clicks
    // are resolved to the oracle's own point (grounding is the grounder's job).
    for (let k = 0; k < 20 && !ep.done; k++) {
      const refs = ep.oracle().steps;
      const w = writeForecast(vocab, refs, 3);
      const step = parseForecast(vocab, w.ids, { H: 3 }).steps[0];
      const at = refs[0].action;
      const out = stepToAction(step, () => ('x' in at ? { x: at.x, y: at.y } : null));
      expect(out.ok, w.text).toBe(true);
      if (out.ok) expect(ep.step(out.action).error).toBeUndefined();
    }
    expect(ep.success).toBe(true);
  });
});

// Kept for documentation: every error code the parser can report has a case above.
const _allCodes: Record<FormatErrorCode, true> = {
  'empty-step': true,
  'unknown-type': true,
  'missing-bracket': true,
  'unterminated-quote': true,
  'missing-status': true,
  'unexpected-text': true,
  'duplicate-field': true,
  'trailing-garbage': true,
  'too-many-steps': true,
  'missing-end': true,
  'missing-target': true,
  'missing-argument': true,
  'unexpected-field': true,
  'bad-direction': true,
  'early-done': true,
  'done-status': true,
};
void _allCodes;
