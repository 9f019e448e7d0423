// The inspection functions behind the agent viewer and the GRPO explainer: the receding-horizon
// loop executes only the first step of each forecast and re-plans from the state it leads to;
// the stand-in grounder finds the element a grounding description names; explainGroup's
// advantages are the CPU group normalisation of its rewards, one update raises the
// log-probability of the forecasts with positive advantage, and the weights are put back.
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  Episode,
  getTemplate,
  instantiate,
  observe,
  render,
  solve,
  type Observation,
  type RefStep,
} from '../../src/envs';
import { describeNode } from '../../src/envs/describe';
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { groupAdvantages } from '../../src/rl/grpo/math';
import {
  parseForecastText,
  planStepOf,
  planText,
  referencePlan,
  textToIds,
} from '../../src/rl/lang';
import {
  explainGroup,
  runAgentEpisode,
  textMatchGrounder,
  type ExplainSettings,
  type ForecastInput,
} from '../../src/rl/inspect';
import { captureCheckpoint, restoreCheckpoint } from '../../src/rl/model/checkpoint';
import { modelDims, PRESETS, type PlannerConfig } from '../../src/rl/model/config';
import { encodePrompt, packBatch } from '../../src/rl/model/encode';
import { DEFAULT_OPTIMIZER, Planner } from '../../src/rl/model/planner';
import { DEFAULT_REWARD_SETTINGS } from '../../src/rl/reward/settings';
import { Rng } from '../../src/rng';
import { getGpuBackend } from '../kernels/gpu';
import { testVocab } from './model-fixtures';

describe('receding-horizon loop', () => {
  const template = getTemplate('settings.brightness');
  const seed = 3;
  const H = 3;
  // The oracle's trajectory and the world before each of its steps.
  const task = instantiate(template, seed);
  const refs = solve(template, task.params, task.world).steps;
  const worlds = [task.world];
  for (const r of refs) worlds.push(applyAction(worlds.at(-1)!, r.action).world);

  it('executes only the first step of each forecast and re-plans from the new state', async () => {
    expect(refs.length).toBeGreaterThanOrEqual(3);
    const calls: { obs: Observation; executed: readonly RefStep[]; H: number }[] = [];
    // Forecast: the right next step, then steps that would derail the episode if executed.
    const forecaster = (input: ForecastInput) => {
      const k = calls.length;
      calls.push({ obs: input.obs, executed: input.executed, H: input.H });
      const text = planText([
        planStepOf(refs[k]),
        { type: 'home', status: 'more' },
        { type: 'back', status: 'more' },
      ]);
      return Promise.resolve({ text, ...parseForecastText(testVocab(), text, { H }) });
    };
    const trace = await runAgentEpisode({
      template,
      seed,
      H,
      forecaster,
      grounder: textMatchGrounder,
    });

    expect(trace.success).toBe(true);
    expect(trace.ended).toBe('done');
    expect(calls.length).toBe(refs.length);
    expect(trace.steps.length).toBe(refs.length);
    calls.forEach((c, k) => {
      // Called once per executed step, with the state the first k steps lead to.
      expect(c.obs).toEqual(observe(worlds[k]));
      expect(c.executed.map((e) => e.type)).toEqual(refs.slice(0, k).map((r) => r.type));
      expect(c.H).toBe(H);
      const step = trace.steps[k];
      expect(step.action?.type).toBe(refs[k].type);
      expect(step.ghosts.length).toBe(3);
      expect(step.reference.map((r) => r.instruction)).toEqual(
        refs.slice(k, k + H).map((r) => r.instruction),
      );
    });
    // Clicks went through the grounder and landed in the reference target's box.
    const clicks = trace.steps.filter((s) => s.action?.type === 'click');
    expect(clicks.length).toBeGreaterThan(0);
    for (const s of clicks) {
      expect(s.grounding?.source).toBe('stand-in');
      expect(s.hit).toBe(true);
    }
    // The reward is taken against the oracle's steps from each state: the first step and the
    // status match, the two derailing steps do not.
    for (const s of trace.steps) {
      expect(s.reward.pairs.some((p) => p.pred === 0 && p.ref === 0)).toBe(true);
      expect(s.reward.accuracy).toBeLessThan(1);
    }
  });

  it('records an unexecutable first step as a lost turn and keeps re-planning', async () => {
    let calls = 0;
    const trace = await runAgentEpisode({
      template,
      seed,
      H,
      maxSteps: 4,
      grounder: textMatchGrounder,
      forecaster: () => {
        calls++;
        const text = 'click [the Nonexistent gizmo] more';
        return Promise.resolve({ text, ...parseForecastText(testVocab(), text, { H }) });
      },
    });
    expect(calls).toBe(4);
    expect(trace.ended).toBe('step budget');
    expect(trace.success).toBe(false);
    for (const s of trace.steps) {
      expect(s.action).toBeNull();
      expect(s.error).toMatch(/no element matches/);
      expect(s.hit).toBe(false);
      expect(s.obs).toEqual(trace.steps[0].obs);
    }
  });
});

describe('stand-in grounder', () => {
  it('clicks the element each on-screen grounding description names', () => {
    const ep = new Episode(getTemplate('settings.wifi'), 1);
    const obs = ep.reset();
    const pixels = render(obs).pixels;
    let checked = 0;
    for (const sn of obs.nodes) {
      if (sn.id === 0 || !obs.elements[sn.id - 1].enabled) continue;
      const g = textMatchGrounder(obs, pixels, describeNode(obs, sn));
      expect(g.elementId, describeNode(obs, sn)).toBe(sn.id);
      const b = obs.elements[sn.id - 1].box;
      expect(g.point!.x).toBeGreaterThanOrEqual(b.x);
      expect(g.point!.y).toBeLessThan(b.y + b.h);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
    expect(textMatchGrounder(obs, pixels, 'the zebra crossing').point).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// explainGroup

// The shape this seeded scenario was made for: a 32-token budget, no label words.
const CONFIG: PlannerConfig = { ...PRESETS.tiny, horizon: 3, forecastTokens: 32, elementWords: 0 };
const G = 6;

/** The start of a settings episode: the encoded prompt and its reference forecast. */
function explainPrompt() {
  const vocab = testVocab();
  const ep = new Episode(getTemplate('settings.brightness'), 2);
  const obs = ep.reset();
  const refs = ep.oracle().steps;
  const encoded = encodePrompt(vocab, CONFIG, modelDims(CONFIG, vocab.size), {
    obs,
    pixels: render(obs).pixels,
    instruction: ep.instruction,
    executed: [],
  });
  return { encoded, reference: referencePlan(refs, CONFIG.horizon), refs };
}

/**
 * A planner half-taught the prompt's reference, so a group of samples differs in reward. Taught
 * on the CPU and loaded into `be`: the WebGPU training step has its own parity tests, and
 * twenty-five steps of it on the software GPU cost seconds that test nothing here.
 */
async function warmPlanner(be: Backend, steps: number): Promise<Planner> {
  const vocab = testVocab();
  const { encoded, refs } = explainPrompt();
  const taught = new Planner(new CpuBackend(), CONFIG, vocab.size, G);
  taught.init(new Rng(7));
  const forecast = [...textToIds(vocab, planText(referencePlan(refs, CONFIG.horizon))), vocab.eos];
  taught.writeBatch(
    packBatch(
      taught.dims,
      vocab,
      Array.from({ length: G }, () => ({ prompt: encoded, forecast })),
    ),
  );
  for (let s = 0; s < steps; s++) taught.trainStep({ ...DEFAULT_OPTIMIZER, lr: 3e-3 }, 1);
  const state = await captureCheckpoint(taught, vocab, DEFAULT_OPTIMIZER);
  taught.release();
  const planner = new Planner(be, CONFIG, vocab.size, G);
  restoreCheckpoint(planner, state);
  return planner;
}

const SETTINGS = (rng: Rng): ExplainSettings => ({
  sampling: { temperature: 1, topP: 1 },
  reward: DEFAULT_REWARD_SETTINGS,
  H: CONFIG.horizon,
  clipEps: 0.2,
  beta: 0.01,
  innerEpochs: 1,
  gradClip: 1,
  normalisation: 'token',
  optimizer: { ...DEFAULT_OPTIMIZER, lr: 1e-2 },
  rng,
});

async function checkExplanation(be: Backend): Promise<void> {
  const planner = await warmPlanner(be, 25);
  const paramsBefore = (await be.read(planner.flat.params)) as Float32Array;
  const { encoded, reference } = explainPrompt();
  const ex = await explainGroup(
    { planner, vocab: testVocab() },
    { encoded, reference },
    G,
    SETTINGS(new Rng(11)),
  );
  expect(ex.forecasts.length).toBe(G);
  const rewards = ex.forecasts.map((f) => f.reward.total);
  // Not vacuous: the group disagrees, so some advantages are non-zero.
  expect(ex.stdReward).toBeGreaterThan(0.01);
  const cpu = groupAdvantages(rewards, G);
  ex.forecasts.forEach((f, b) => expect(f.advantage).toBeCloseTo(cpu[b], 4));
  expect(ex.meanReward).toBeCloseTo(rewards.reduce((a, r) => a + r, 0) / G, 6);

  // One update moves probability towards the forecasts that beat their group.
  const up = ex.forecasts.filter((f) => f.advantage > 0);
  expect(up.length).toBeGreaterThan(0);
  const meanDelta = up.reduce((a, f) => a + (f.logpAfter - f.logpBefore), 0) / up.length;
  expect(meanDelta).toBeGreaterThan(0);
  for (const f of ex.forecasts) {
    expect(Number.isFinite(f.logpBefore) && f.logpBefore < 0).toBe(true);
    expect(f.text.length).toBeGreaterThan(0);
  }
  // The planner is unchanged afterwards.
  const paramsAfter = (await be.read(planner.flat.params)) as Float32Array;
  expect(paramsAfter).toEqual(paramsBefore);
  planner.release();
}

describe('explainGroup', () => {
  it('gives the CPU group advantages and raises the log-prob of positive-advantage forecasts (CPU)', async () => {
    await checkExplanation(new CpuBackend());
  });

  it('does the same on WebGPU', async () => {
    await checkExplanation(await getGpuBackend());
  });

  it('refuses a planner whose batch is not the group size', async () => {
    const planner = new Planner(new CpuBackend(), CONFIG, testVocab().size, 2);
    const { encoded, reference } = explainPrompt();
    await expect(
      explainGroup(
        { planner, vocab: testVocab() },
        { encoded, reference },
        3,
        SETTINGS(new Rng(1)),
      ),
    ).rejects.toThrow(/B=2.*G=3/);
  });
});
