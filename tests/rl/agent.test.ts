// The receding-horizon agent: only the first step of every forecast is executed and the next
// forecast starts from the new state; grounding, tool steps in the action language, tool
// prompts and the planner forecaster's batching.
import { afterAll, describe, expect, it } from 'vitest';
import { Episode, getTemplate, observe, render, type RefStep } from '../../src/envs';
import { evaluationInstances, type GuiInstance } from '../../src/envs/suites';
import { generateToolTask, runTool, type ToolCall } from '../../src/envs/tools';
import { applyAction } from '../../src/envs/world';
import { createNodeGrounder } from '../../src/grounder/node';
import { CpuBackend } from '../../src/kernels/cpu';
import {
  clickInside,
  firstToolMove,
  frozenGrounder,
  plannerAgent,
  PlannerForecaster,
  runOnlineEpisodes,
  textMatchGrounder,
  type Forecast,
  type BatchForecaster,
  type ForecastInput,
} from '../../src/rl/agent';
import { plannerConfigOf } from '../../src/rl/config';
import { PromptSource } from '../../src/rl/data';
import {
  findPicturePanel,
  toolInstruction,
  toolPromptInput,
  toolReferencePlan,
} from '../../src/rl/data/tool-prompts';
import {
  buildVocab,
  parseForecast,
  parseForecastText,
  planIds,
  planStepOf,
  planText,
  stepToToolCall,
  toolStepOf,
} from '../../src/rl/lang';
import { fixedTokenKeys, Vocab } from '../../src/text/vocab';
import { modelDims, PRESETS } from '../../src/rl/model/config';
import { encodePrompt, type PromptInput } from '../../src/rl/model/encode';
import { Planner } from '../../src/rl/model/planner';
import { Sampler } from '../../src/rl/model/sample';
import { Rng } from '../../src/rng';
import { testVocab } from './model-fixtures';
import { frozenVocab, tinySettings } from './train-fixtures';

/** The oracle's trajectory of an instance (from its start state). */
function oracleSteps(inst: GuiInstance): RefStep[] {
  const ep = new Episode(getTemplate(inst.template), inst.seed, { perturb: inst.perturb });
  ep.reset();
  return ep.oracle().steps;
}

describe('receding-horizon loop', () => {
  it('executes only the first step of each forecast and re-plans from the new state', async () => {
    const inst = evaluationInstances('mobile-online', 4)[1] as GuiInstance;
    const refs = oracleSteps(inst);
    expect(refs.length).toBeGreaterThan(2);
    // The spy forecasts the oracle's next three steps, each first step a different one.
    const seen: PromptInput[] = [];
    let k = 0;
    const spy: BatchForecaster = {
      async forecast(inputs) {
        seen.push(...inputs);
        const steps = refs.slice(k, k + 3).map(planStepOf);
        k++;
        return inputs.map((): Forecast => ({ steps, text: planText(steps), errors: [] }));
      },
    };
    const agent = plannerAgent(spy, textMatchGrounder, { H: 3, batch: 1 });
    const [outcome] = await runOnlineEpisodes(agent, [inst]);
    expect(outcome.success).toBe(true);
    // One forecast per executed step, and every executed step was that forecast's first.
    expect(seen.length).toBe(outcome.steps);
    expect(outcome.executed.map((s) => s.type)).toEqual(refs.map((r) => r.type));
    // Forecast k saw the state after exactly k executed steps (replayed independently).
    const ep = new Episode(getTemplate(inst.template), inst.seed, { perturb: inst.perturb });
    let world = ep.task.world;
    seen.forEach((input, i) => {
      expect(input.obs).toEqual(observe(world));
      expect(input.executed.length).toBe(i);
      world = applyAction(world, outcome.executed[i].action, observe(world)).world;
    });
  });

  it('steps many episodes in lockstep: one forecaster call per round for all of them', async () => {
    const instances = evaluationInstances('mobile-online', 6) as GuiInstance[];
    const calls: number[] = [];
    const spy: BatchForecaster = {
      async forecast(inputs) {
        calls.push(inputs.length);
        return inputs.map(() => ({
          steps: [{ type: 'done', status: 'done' }],
          text: '',
          errors: [],
        }));
      },
    };
    const outcomes = await runOnlineEpisodes(plannerAgent(spy, textMatchGrounder), instances);
    expect(calls).toEqual([6]);
    expect(outcomes.map((o) => o.steps)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('wastes a step (a no-op wait) when the first step cannot be grounded', async () => {
    const inst = evaluationInstances('mobile-online', 1)[0] as GuiInstance;
    const spy: BatchForecaster = {
      async forecast(inputs) {
        const steps = [
          { type: 'click' as const, target: 'the Zyxxy qwop gizmo', status: 'more' as const },
        ];
        return inputs.map(() => ({ steps, text: '', errors: [] }));
      },
    };
    const [o] = await runOnlineEpisodes(plannerAgent(spy, textMatchGrounder), [inst]);
    expect(o.success).toBe(false);
    expect(o.executed.every((s) => s.type === 'wait')).toBe(true);
    expect(o.steps).toBe(getTemplate(inst.template).maxSteps ?? 20);
  });
});

describe('text-match grounder (stand-in)', () => {
  it('puts the point inside the target box of oracle clicks, and finds nothing for nonsense', () => {
    const g = textMatchGrounder;
    let clicks = 0;
    for (const inst of evaluationInstances('mobile-online', 12) as GuiInstance[]) {
      const ep = new Episode(getTemplate(inst.template), inst.seed, { perturb: inst.perturb });
      let obs = ep.reset();
      for (const ref of ep.oracle().steps) {
        if ((ref.type === 'click' || ref.type === 'longpress') && ref.target && ref.box) {
          const hit = g(obs, render(obs).pixels, ref.target);
          expect(hit.point, ref.target).not.toBeNull();
          const { x, y } = hit.point!;
          const b = ref.box;
          expect(x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h, ref.target).toBe(true);
          clicks++;
        }
        obs = ep.step(ref.action).obs;
      }
      expect(g(obs, render(obs).pixels, 'the Zyxxy qwop gizmo').point).toBeNull();
    }
    expect(clicks).toBeGreaterThan(20);
  });
});

describe('frozen ONNX grounder as the agent grounder', () => {
  it('grounds oracle click targets from the screen alone, usually inside the target box', async () => {
    const onnx = await createNodeGrounder();
    const g = frozenGrounder(onnx);
    let [clicks, hits] = [0, 0];
    for (const inst of evaluationInstances('mobile-online', 8) as GuiInstance[]) {
      const ep = new Episode(getTemplate(inst.template), inst.seed, { perturb: inst.perturb });
      let obs = ep.reset();
      for (const ref of ep.oracle().steps) {
        if (ref.type === 'click' && ref.target && ref.box) {
          const r = await g(obs, render(obs).pixels, ref.target);
          expect(r.source).toBe('grounder');
          if (r.point) expect(obs.elements[r.elementId! - 1]).toBeDefined();
          hits += clickInside(r.point, ref.box) ? 1 : 0;
          clicks++;
        }
        obs = ep.step(ref.action).obs;
      }
    }
    await onnx.dispose();
    expect(clicks).toBeGreaterThan(15);
    expect(hits / clicks).toBeGreaterThan(0.5);
  }, 60_000);
});

describe('tool steps in the action language', () => {
  const vocab: Vocab = buildVocab({ instructionSeeds: 1, episodeSeeds: 0, perturbedEpisodes: 0 });

  it('writes every oracle call and parses it back into the same ToolCall', () => {
    let n = 0;
    for (const suite of ['tools', 'tools-multihop'] as const) {
      for (let seed = 0; seed < 30; seed++) {
        const task = generateToolTask(suite, seed);
        const plan = toolReferencePlan(task, 0, 20);
        const parsed = parseForecast(vocab, planIds(vocab, plan), { H: 20 });
        expect(parsed.errors).toEqual([]);
        expect(parsed.steps).toEqual(plan);
        expect(parseForecastText(vocab, planText(plan), { H: 20 }).steps).toEqual(plan);
        task.chain.forEach((ref, i) => {
          const back = stepToToolCall(parsed.steps[i]);
          expect(back).toEqual({ ok: true, call: ref.call });
          expect(
            runTool((back as { call: ToolCall }).call, { screenshot: task.screen?.screenshot }),
          ).toEqual({ ok: true, result: ref.result });
          n++;
        });
        expect(parsed.steps.at(-1)).toEqual({ type: 'answer', arg: task.gold, status: 'done' });
      }
    }
    expect(n).toBeGreaterThan(60);
  });

  it('reads arguments leniently but reports what it cannot read', () => {
    const step = (arg: string) => ({
      type: 'tool' as const,
      target: 'unit_convert',
      arg,
      status: 'more' as const,
    });
    expect(stepToToolCall(step('value=12, from="mi", to="km"'))).toEqual({
      ok: true,
      call: { tool: 'unit_convert', args: { value: 12, from: 'mi', to: 'km' } },
    });
    expect(stepToToolCall(step('value=12, from=mi'))).toEqual({
      ok: true,
      call: { tool: 'unit_convert', args: { value: 12, from: 'mi' } },
    });
    expect(stepToToolCall(step('value="12'))).toMatchObject({ ok: false });
    expect(stepToToolCall(step('= 3'))).toMatchObject({ ok: false });
    expect(stepToToolCall({ type: 'click', target: 'x', status: 'more' })).toMatchObject({
      ok: false,
    });
    expect(firstToolMove({ steps: [step('nonsense')], text: '', errors: [] })).toEqual({
      type: 'call',
      call: { tool: 'unit_convert', args: {} },
    });
  });

  it('refuses to write a tool step with a vocabulary that predates the tool token', () => {
    const old = new Vocab(fixedTokenKeys().filter((k) => k !== '<act:tool>'));
    expect(() =>
      planIds(old, [toolStepOf({ tool: 'ocr', args: { x: 1, y: 2, w: 3, h: 4 } })]),
    ).toThrow(/no <act:tool> token/);
    // The shipped vocabulary writes them.
    expect(frozenVocab().stepType('tool')).toBeDefined();
  });

  it('writes arguments positionally in the tool order, named when a value holds a ;', () => {
    const call = {
      tool: 'table_lookup',
      args: { table: 'city population', row: 'Lyon', column: 'population' },
    };
    expect(toolStepOf(call).arg).toBe('city population; Lyon; population');
    const expr = { tool: 'calculator', args: { expression: 'round(2.5; 1)' } };
    expect(toolStepOf(expr).arg).toBe('expression="round(2.5; 1)"');
    expect(stepToToolCall(toolStepOf(expr))).toEqual({ ok: true, call: expr });
    const step = (arg: string) => ({
      type: 'tool' as const,
      target: 'unit_convert',
      arg,
      status: 'more' as const,
    });
    expect(stepToToolCall(step('12; mi; km'))).toEqual({
      ok: true,
      call: { tool: 'unit_convert', args: { value: 12, from: 'mi', to: 'km' } },
    });
    expect(stepToToolCall(step('12; mi'))).toEqual({
      ok: false,
      error: 'unit_convert: takes 3 argument(s) (value; from; to), got 2',
    });
    expect(stepToToolCall({ ...step('1; 2'), target: 'teleport' })).toMatchObject({ ok: false });
  });
});

describe('tool prompts', () => {
  it('finds the picture panel the OCR steps read, from the pixels alone', () => {
    let pictures = 0;
    for (const suite of ['tools', 'tools-multihop'] as const)
      for (let seed = 0; seed < 60; seed++) {
        const task = generateToolTask(suite, seed);
        if (!task.screen) continue;
        expect(findPicturePanel(task.screen.screenshot), task.id).toEqual(task.screen.textBox);
        const input = toolPromptInput(
          { instruction: task.instruction, screen: task.screen.screenshot },
          [],
        );
        expect(input.obs.elements.map((e) => e.box)).toEqual([task.screen.textBox]);
        pictures++;
      }
    expect(pictures).toBeGreaterThan(10);
  });

  it('shows the results of earlier calls after the instruction', () => {
    const task = generateToolTask('tools-multihop', 3);
    const context = { screenshot: task.screen?.screenshot };
    const turns = [{ call: task.chain[0].call, result: runTool(task.chain[0].call, context) }];
    const input = toolPromptInput({ instruction: task.instruction }, turns);
    const { tool } = task.chain[0].call;
    expect(input.instruction).toBe(task.instruction);
    expect(input.results).toEqual([{ tool, text: task.chain[0].result }]);
    expect(toolInstruction(task.instruction, turns)).toBe(
      `${task.instruction} | ${tool} -> ${task.chain[0].result}`,
    );
    // Encoded, the instruction's numbers and then the result follow marks of their own
    // (numbered after the shown elements'), so the planner can copy each with one token.
    const vocab = frozenVocab();
    const config = plannerConfigOf(tinySettings({ model: { promptLen: 96 } }));
    const p = encodePrompt(vocab, config, modelDims(config, vocab.size), input);
    const numbers = task.instruction.match(/\d+(?:\.\d+)?/g) ?? [];
    expect(p.labels.slice(p.elementCount)).toEqual([...numbers, task.chain[0].result]);
    const mark = vocab.mark(p.labels.length)!;
    const at = Array.from(p.ids).indexOf(mark);
    const result = vocab.encodeText(task.chain[0].result);
    expect(Array.from(p.ids.slice(at + 1, at + 1 + result.length))).toEqual(result);
    expect(p.labels.at(-1)).toBe(task.chain[0].result);
  });

  it('gives training prompts for tool suites: remaining calls, then the answer', () => {
    const vocab = buildVocab({ instructionSeeds: 1, episodeSeeds: 0, perturbedEpisodes: 0 });
    const s = tinySettings({
      data: { suites: ['tools', 'tools-multihop'] },
      model: { horizon: 8 },
    });
    const prompts = new PromptSource(s.data, vocab, plannerConfigOf(s)).sample(new Rng(5), 30);
    expect(new Set(prompts.map((p) => p.suite))).toEqual(new Set(['tools', 'tools-multihop']));
    expect(prompts.some((p) => p.t > 0)).toBe(true);
    for (const p of prompts) {
      const task = p.tool!.task;
      expect(p.tool!.turns.length).toBe(p.t);
      const kinds = p.target.steps.map((st) => st.type);
      const remaining = task.chain.length - p.t;
      expect(kinds).toEqual([...Array(Math.min(remaining, 8)).fill('tool'), 'answer'].slice(0, 8));
      expect(p.target.ids.at(-1)).toBe(vocab.eos);
    }
  });
});

describe('planner forecaster', () => {
  const be = new CpuBackend();
  afterAll(() => be.destroy());

  it('forecasts each prompt the same alone or batched with others (greedy)', async () => {
    const vocab = testVocab();
    const config = { ...PRESETS.tiny, forecastTokens: 12 };
    const make = (B: number) => {
      const planner = new Planner(be, config, vocab.size, B);
      planner.init(new Rng(7));
      return new PlannerForecaster(planner, new Sampler(planner, vocab), vocab, new Rng(1));
    };
    const inputs: ForecastInput[] = (evaluationInstances('mobile-online', 5) as GuiInstance[]).map(
      (inst) => {
        const ep = new Episode(getTemplate(inst.template), inst.seed, { perturb: inst.perturb });
        const obs = ep.reset();
        const pixels = render(obs).pixels;
        return { obs, pixels, instruction: ep.instruction, executed: [], H: config.horizon };
      },
    );
    const batched = await make(4).forecast(inputs); // two chunks, the last one padded
    const single = make(1);
    const alone = [];
    for (const input of inputs) alone.push(...(await single.forecast([input])));
    expect(batched.map((f) => f.ids)).toEqual(alone.map((f) => f.ids));
    expect(batched.map((f) => f.text)).toEqual(alone.map((f) => f.text));
    expect(single.calls).toBe(5);
    for (const f of batched) expect(f.steps.length).toBeLessThanOrEqual(config.horizon);
  });
});
