import { describe, expect, it } from 'vitest';
import {
  generateToolTask,
  levelOf,
  runChain,
  templatesFor,
  TOOL_TASK_TEMPLATES,
  type ToolSuite,
} from '../../src/envs/tools/tasks';

const SUITES: ToolSuite[] = ['tools', 'tools-multihop'];
const SEEDS = Array.from({ length: 240 }, (_, i) => i * 7919 + 3);

describe('tool-use task generators', () => {
  it.each(SUITES)(
    '%s: every oracle chain executes and yields the gold answer (240 seeds)',
    (suite) => {
      for (const seed of SEEDS) {
        const task = generateToolTask(suite, seed);
        const results = runChain(task);
        results.forEach((r, i) => {
          if (!r.ok) throw new Error(`${task.id} step ${i}: ${r.error}`);
          // each step's recorded result is exactly what the toolbox returns
          expect(r.result, `${task.id} step ${i}`).toBe(task.chain[i].result);
        });
        const last = results[results.length - 1];
        expect(last.ok && task.answer(last.result), task.id).toBe(true);
        expect(task.level).toBe(levelOf(suite, task.chain.length));
      }
    },
  );

  it('covers every template and all three levels of each suite', () => {
    for (const suite of SUITES) {
      const seen = new Set(SEEDS.map((s) => generateToolTask(suite, s).template));
      expect([...seen].sort()).toEqual(
        templatesFor(suite)
          .map((t) => t.id)
          .sort(),
      );
      for (const level of [1, 2, 3] as const) {
        const task = generateToolTask(suite, 11, { level });
        expect(task.level).toBe(level);
      }
    }
  });

  it('every template, for every seed tried, executes (not only the ones picked at random)', () => {
    for (const template of TOOL_TASK_TEMPLATES) {
      for (let seed = 0; seed < 40; seed++) {
        const task = generateToolTask(template.suite, seed, { template: template.id });
        for (const r of runChain(task)) expect(r.ok, `${task.id}`).toBe(true);
      }
    }
  });

  it('is deterministic per seed and varies across seeds', () => {
    const a = generateToolTask('tools-multihop', 42);
    const b = generateToolTask('tools-multihop', 42);
    expect(b.instruction).toBe(a.instruction);
    expect(b.chain).toEqual(a.chain);
    const instructions = new Set(
      SEEDS.slice(0, 50).map((s) => generateToolTask('tools', s).instruction),
    );
    expect(instructions.size).toBeGreaterThan(40);
  });

  it('checks answers by normalised match', () => {
    const task = generateToolTask('tools', 0, { template: 'population-difference' });
    const gold = Number(task.gold);
    expect(task.answer(gold.toLocaleString('en-US'))).toBe(true); // 1,234,000
    expect(task.answer(`${gold}.0`)).toBe(true);
    expect(task.answer(`  ${gold} `)).toBe(true);
    expect(task.answer(String(gold + 1))).toBe(false);
    expect(task.answer('')).toBe(false);
    const fact = generateToolTask('tools-multihop', 5, { template: 'inventor-country' });
    expect(fact.answer(fact.gold.toUpperCase() + '.')).toBe(true);
    expect(fact.answer('Atlantis')).toBe(false);
  });

  it('multi-hop chains pass each answer on to the next call', () => {
    const task = generateToolTask('tools-multihop', 3, { template: 'inventor-capital' });
    const [inventor, country, capital] = task.chain;
    expect(country.call.args.subject).toBe(inventor.result);
    expect(capital.call.args.subject).toBe(country.result);
    expect(task.level).toBe(2);
  });
});
