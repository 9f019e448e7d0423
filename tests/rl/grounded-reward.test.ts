// Stage 2's grounded reward on hand-made cases: a click inside and outside the reference
// target's box, the wrong action type, typed text on both sides of F1 = 0.5, tool calls that
// run or fail, answers that match or not, the format term; and the rollout scorer end to end
// with the oracle's own forecast through a grounder that finds the target, or misses it.
import { describe, expect, it } from 'vitest';
import type { RefStep } from '../../src/envs/oracle';
import { generateToolTask } from '../../src/envs/tools';
import type { Observation } from '../../src/envs/types';
import { textMatchGrounder, type Grounder } from '../../src/rl/agent/grounding';
import { validateSettings, plannerConfigOf } from '../../src/rl/config/schema';
import { PromptSource } from '../../src/rl/data/prompts';
import { walkOracleEpisode } from '../../src/rl/data/episodes';
import {
  groundedTotal,
  guiStepSuccess,
  scoreGrounded,
  toolStepOutcome,
} from '../../src/rl/grounded';
import { toolStepOf } from '../../src/rl/lang';
import { Rng } from '../../src/rng';
import { shippedVocab } from './stage1-fixtures';

/** The first oracle click of an episode with its screen. */
function firstClick(): { obs: Observation; ref: RefStep } {
  for (const template of ['contacts.favourite', 'contacts.delete', 'calendar.rename']) {
    try {
      const ep = walkOracleEpisode(template, 3, 'none', {});
      const t = ep.refs.findIndex((r) => r.type === 'click' && r.box);
      if (t >= 0) return { obs: ep.states[t], ref: ep.refs[t] };
    } catch {
      // not a template of this world; try the next
    }
  }
  throw new Error('no oracle click found');
}

describe('GUI steps', () => {
  const { obs, ref } = firstClick();
  const box = ref.box!;

  it('pays a click whose grounded point lies in the target box, edges included', () => {
    const centre = { type: 'click' as const, x: box.x + box.w / 2, y: box.y + box.h / 2 };
    expect(guiStepSuccess(centre, obs, ref)).toBe(true);
    expect(guiStepSuccess({ type: 'click', x: box.x, y: box.y + box.h }, obs, ref)).toBe(true);
  });

  it('does not pay a click outside the box, a missing action or the wrong type', () => {
    expect(guiStepSuccess({ type: 'click', x: box.x - 1, y: box.y }, obs, ref)).toBe(false);
    expect(guiStepSuccess({ type: 'click', x: box.x + box.w + 1, y: box.y }, obs, ref)).toBe(false);
    expect(guiStepSuccess(null, obs, ref)).toBe(false);
    const inside = { x: box.x + 1, y: box.y + 1 };
    expect(guiStepSuccess({ type: 'longpress', ...inside }, obs, ref)).toBe(false);
    expect(guiStepSuccess({ type: 'back' }, obs, ref)).toBe(false);
  });

  it('pays typed text with token F1 ≥ 0.5 and not below', () => {
    const typeRef: RefStep = {
      type: 'type',
      action: { type: 'type', text: 'meeting moved to friday' },
      arg: 'meeting moved to friday',
      instruction: 'type "meeting moved to friday"',
    };
    // F1("meeting moved", 4 tokens) = 2·1·0.5/1.5 = 0.67; F1("meeting") = 2·1·0.25/1.25 = 0.4.
    expect(guiStepSuccess({ type: 'type', text: 'meeting moved' }, obs, typeRef)).toBe(true);
    expect(guiStepSuccess({ type: 'type', text: 'meeting moved to friday' }, obs, typeRef)).toBe(
      true,
    );
    expect(guiStepSuccess({ type: 'type', text: 'meeting' }, obs, typeRef)).toBe(false);
    expect(guiStepSuccess({ type: 'type', text: 'lunch on monday' }, obs, typeRef)).toBe(false);
    // F1 = 0.5 exactly ("meeting moved" vs 2 of 6 tokens: 2·1·(1/3)/(4/3) = 0.5) passes.
    const six: RefStep = {
      ...typeRef,
      action: { type: 'type', text: 'meeting moved to friday at noon' },
    };
    expect(guiStepSuccess({ type: 'type', text: 'meeting moved' }, obs, six)).toBe(true);
  });

  it('adds the format term on top of success', () => {
    expect(groundedTotal(true, true, 0.1)).toBeCloseTo(1.1);
    expect(groundedTotal(true, false, 0.1)).toBe(1);
    expect(groundedTotal(false, true, 0.1)).toBeCloseTo(0.1);
    expect(groundedTotal(false, false, 0.1)).toBe(0);
  });
});

describe('tool steps', () => {
  const task = generateToolTask('tools-multihop', 4);
  const first = task.chain[0].call;

  it('pays a call the toolbox executes when it is the reference’s next tool', () => {
    const r = toolStepOutcome(toolStepOf(first), task, 0);
    expect(r.success, r.why).toBe(true);
    expect(r.execution?.ok).toBe(true);
  });

  it('does not pay a call that fails to execute, the wrong tool, or a call when the answer is due', () => {
    const broken = toolStepOutcome(
      { type: 'tool', target: 'calculator', arg: 'expression="1 +"' },
      task,
      0,
    );
    expect(broken.success).toBe(false);
    expect(broken.execution?.ok).toBe(false);
    const unknown = toolStepOutcome({ type: 'tool', target: 'teleport', arg: '' }, task, 0);
    expect(unknown.success).toBe(false);
    const other = task.chain.find((s) => s.call.tool !== first.tool)?.call;
    if (other) expect(toolStepOutcome(toolStepOf(other), task, 0).success).toBe(false);
    expect(toolStepOutcome(toolStepOf(first), task, task.chain.length).success).toBe(false);
  });

  it('pays an answer that matches the gold answer and nothing else', () => {
    expect(
      toolStepOutcome({ type: 'answer', arg: task.gold }, task, task.chain.length).success,
    ).toBe(true);
    expect(toolStepOutcome({ type: 'answer', arg: `${task.gold} 7` }, task, 0).success).toBe(false);
    expect(toolStepOutcome({ type: 'click', target: 'the OK button' }, task, 0).success).toBe(
      false,
    );
    expect(toolStepOutcome(undefined, task, 0).success).toBe(false);
  });
});

describe('scoreGrounded', () => {
  it('executes the first step through the grounder: found → 1 + format, missed → format only', async () => {
    const vocab = shippedVocab();
    const settings = validateSettings({ preset: 'ci-tiny', data: { suites: ['mobile-online'] } });
    const config = plannerConfigOf(settings);
    const source = new PromptSource(settings.data, vocab, config);
    // Prompts whose next oracle step is a click the stand-in grounds exactly.
    const prompts = source
      .sample(new Rng(11), 24)
      .filter((p) => p.next[0]?.type === 'click' && !/ at \d+%$/.test(p.next[0].target ?? ''))
      .slice(0, 3);
    expect(prompts.length).toBeGreaterThan(0);
    const ids = prompts.map((p) => p.target.ids);
    const found = await scoreGrounded(vocab, ids, prompts, textMatchGrounder, config.horizon, 0.1);
    expect(Array.from(found.success)).toEqual(prompts.map(() => 1));
    expect(found.rewards[0]).toBeCloseTo(1.1, 5);
    const offScreen: Grounder = () => ({
      elementId: null,
      point: { x: -5, y: -5 },
      score: 0,
      source: 'stand-in',
    });
    const missed = await scoreGrounded(vocab, ids, prompts, offScreen, config.horizon, 0.1);
    expect(Array.from(missed.success)).toEqual(prompts.map(() => 0));
    expect(missed.rewards[0]).toBeCloseTo(0.1, 5);
    expect(missed.summary.format).toBe(1);
  });
});
