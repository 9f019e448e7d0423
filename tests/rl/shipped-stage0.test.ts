// The shipped stage-0 checkpoint (public/models/stage0.bin): the Train page's quick demo, the
// Agent viewer and the GRPO explainer start from it, so it must be in the quick-demo shape with
// the shipped vocabulary; and what it learnt must not regress below floors set from the
// numbers measured when it was made (public/models/stage0.card.md). Teacher-forced held-out
// accuracy on all seven suites, and greedy forecasts of held-out prompts decoded and parsed
// (well formed; a tool call or the answer first on tool prompts), and acting through the frozen
// grounder and the toolbox on held-out suites. Bounded work: 64 + 32 prompts, 107 logged steps,
// 48 episodes and 56 tool tasks, on the wasm backend; for the small checkpoint 128 prompts and
// 24 episodes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../src/kernels/wasm';
import {
  plannerConfigOf,
  settingsPreset,
  validateSettings,
  type TrainSettings,
} from '../../src/rl/config/schema';
import { render } from '../../src/envs';
import { PromptSource, type Prompt } from '../../src/rl/data';
import { toolPromptInput } from '../../src/rl/data/tool-prompts';
import type { PromptInput } from '../../src/rl/model/encode';
import { createNodeGrounder } from '../../src/grounder/node';
import { frozenGrounder, GREEDY, PlannerForecaster, type PlannerAgent } from '../../src/rl/agent';
import { checkpointAgent, evaluateSuites } from '../../src/rl/eval';
import { restoreCheckpoint } from '../../src/rl/model/checkpoint';
import { loadCheckpointFile } from '../../src/rl/model/checkpoint-node';
import { Planner } from '../../src/rl/model/planner';
import { Sampler } from '../../src/rl/model/sample';
import { train } from '../../src/rl/trainer';
import { Rng } from '../../src/rng';
import { shippedMismatch, shippedStage0Url } from '../../src/workers/trainer/assets';
import { shippedVocab } from './stage1-fixtures';

const SETTINGS = validateSettings(JSON.parse(readFileSync('public/models/stage0.json', 'utf8')));

// Floors: about three quarters of the figures measured on the shipped checkpoint (card), on
// exactly the samples below (greedy decoding and seeded instances: the figures are fixed for a
// given checkpoint). Teacher-forced, 64 held-out prompts: next type 98.4 %, next step 81.2 %,
// token accuracy 93.3 %. Greedy, 32 held-out prompts: well formed 32 of 32, a tool call or the
// answer first on every tool prompt. Through the frozen ONNX grounder and the toolbox,
// held-out parameters: step success 80.6 % on mobile-offline-high (36 steps) and 76.9 % on
// web-offline (39 steps), tool accuracy 100 % and answer accuracy 20 of 32 on tools; task
// success 6 of 24 on mobile-online and 2 of 24 on desktop-online, answer accuracy 16 of 24 on
// tools-multihop.
const FLOORS = {
  nextTypeAccuracy: 0.85,
  nextStepAccuracy: 0.6,
  tokenAccuracy: 0.8,
  wellFormed: 0.75,
  toolMoves: 0.75,
  mobileOfflineStepSuccess: 0.6,
  webOfflineStepSuccess: 0.55,
  toolAccuracy: 0.75,
  toolAnswerAccuracy: 14 / 32,
  mobileOnlineSuccess: 4 / 24,
  desktopOnlineSuccess: 1 / 24,
  multihopAnswerAccuracy: 12 / 24,
};

const SMALL_SETTINGS = validateSettings(
  JSON.parse(readFileSync('public/models/stage0-small.json', 'utf8')),
);

// The small checkpoint's floors, about 85 % of its figures (public/models/README.md),
// teacher-forced on the same 128 held-out prompts: next type 99.2 %, next step 84.4 %, token
// accuracy 95.7 %; through the frozen grounder it finishes 11 of the first 24 held-out-parameter
// mobile-online episodes (the figure that was short of its target before the instruction
// phrases; floor 8). Its other figures through the grounder are measured by the card's
// commands; a test of them would cost minutes.
const SMALL_FLOORS = {
  nextTypeAccuracy: 0.85,
  nextStepAccuracy: 0.72,
  tokenAccuracy: 0.82,
  mobileOnlineSuccess: 8 / 24,
};

/** A shipped checkpoint as an agent through the frozen ONNX grounder (wasm, one thread). */
async function withShippedAgent(
  path: string,
  batch: number,
  use: (agent: PlannerAgent) => Promise<void>,
): Promise<void> {
  const state = await loadCheckpointFile(path, { vocab: shippedVocab() });
  const be = await WasmBackend.create({ threads: 1 });
  const onnx = await createNodeGrounder();
  const loaded = checkpointAgent(state, { be, grounder: frozenGrounder(onnx), batch });
  try {
    await use(loaded.agent);
  } finally {
    loaded.release();
    be.destroy();
    await onnx.dispose();
  }
}

/** What the planner sees at a held-out prompt, as the agent builds it. */
function inputOf(p: Prompt): PromptInput {
  if (!p.tool)
    return {
      obs: p.obs,
      pixels: render(p.obs).pixels,
      instruction: p.instruction,
      executed: p.executed,
    };
  const { task, turns } = p.tool;
  return toolPromptInput({ instruction: task.instruction, screen: task.screen?.screenshot }, turns);
}

interface TeacherForcedFloors {
  nextTypeAccuracy: number;
  nextStepAccuracy: number;
  tokenAccuracy: number;
}

/** Teacher-forced held-out accuracy of a checkpoint (its settings' evalSize prompts). */
async function expectTeacherForcedFloors(
  file: string,
  settings: TrainSettings,
  floors: TeacherForcedFloors,
): Promise<void> {
  const vocab = shippedVocab();
  const init = await loadCheckpointFile(file, { vocab });
  const be = await WasmBackend.create({ threads: 1 });
  const result = await train({
    be,
    settings,
    stage: 0,
    vocab,
    init,
    updates: 0,
    evaluateAtStart: true,
  });
  be.destroy();
  const e = result.startEvaluation!;
  const heldOut = e['held-out'];
  const figures = JSON.stringify(heldOut);
  expect(heldOut.prompts).toBe(settings.run.evalSize);
  expect(heldOut.nextTypeAccuracy, figures).toBeGreaterThanOrEqual(floors.nextTypeAccuracy);
  expect(heldOut.nextStepAccuracy, figures).toBeGreaterThanOrEqual(floors.nextStepAccuracy);
  expect(heldOut.tokenAccuracy, figures).toBeGreaterThanOrEqual(floors.tokenAccuracy);
  expect(e.data.heldOutTruncated).toBe(0);
}

describe('shipped stage-0 checkpoint', () => {
  it('is in the quick-demo shape with the shipped vocabulary, trained on all seven suites', async () => {
    const vocab = shippedVocab();
    const state = await loadCheckpointFile('public/models/stage0.bin', { vocab });
    expect(shippedMismatch(state, settingsPreset('quick-demo'), vocab)).toBeNull();
    expect(state.config).toEqual(plannerConfigOf(SETTINGS));
    expect(SETTINGS.data.suites).toHaveLength(7);
    expect(vocab.stepType('tool')).toBeDefined();
  });

  it('has a small-shape checkpoint, from a valid config on all seven suites, that teaching runs start from', async () => {
    const small = validateSettings(
      JSON.parse(readFileSync('public/models/stage0-small.json', 'utf8')),
    );
    expect(plannerConfigOf(small)).toEqual(plannerConfigOf(settingsPreset('teaching')));
    expect(plannerConfigOf(small)).toMatchObject({ L: 4, C: 128 });
    expect(small.data.suites).toEqual(SETTINGS.data.suites);
    const vocab = shippedVocab();
    const state = await loadCheckpointFile('public/models/stage0-small.bin', { vocab });
    expect(shippedMismatch(state, settingsPreset('teaching'), vocab)).toBeNull();
    expect(state.config).toEqual(plannerConfigOf(small));
    // Each preset's fresh run starts from the checkpoint of its shape; another shape from none.
    expect(shippedStage0Url(settingsPreset('teaching'))).toBe('models/stage0-small.bin');
    expect(shippedStage0Url(settingsPreset('quick-demo'))).toBe('models/stage0.bin');
    const wider = validateSettings({ preset: 'quick-demo', model: { C: 96 } });
    expect(shippedStage0Url(wider)).toBe('models/stage0.bin');
    expect(shippedMismatch(state, wider, vocab)).toMatch(
      /^it was trained with L = 4, these settings use 2$/,
    );
  });

  it('keeps its held-out teacher-forced accuracy above the floors, with no cut target', async () => {
    await expectTeacherForcedFloors('public/models/stage0.bin', SETTINGS, FLOORS);
  });

  it("keeps the small checkpoint's held-out teacher-forced accuracy above its floors", async () => {
    await expectTeacherForcedFloors('public/models/stage0-small.bin', SMALL_SETTINGS, SMALL_FLOORS);
  });

  it('writes well-formed greedy forecasts, and tool moves on tool prompts', async () => {
    const vocab = shippedVocab();
    const state = await loadCheckpointFile('public/models/stage0.bin', { vocab });
    const be = await WasmBackend.create({ threads: 1 });
    const planner = new Planner(be, state.config, vocab.size, 16);
    restoreCheckpoint(planner, state);
    const forecaster = new PlannerForecaster(
      planner,
      new Sampler(planner, vocab),
      vocab,
      new Rng(1),
      GREEDY,
    );
    const source = new PromptSource(SETTINGS.data, vocab, state.config);
    const prompts = source.heldOut(32);
    const forecasts = await forecaster.forecast(
      prompts.map((p) => ({ ...inputOf(p), H: state.config.horizon })),
    );
    planner.release();
    be.destroy();
    const wellFormed = forecasts.filter((f) => f.errors.length === 0).length / forecasts.length;
    expect(wellFormed, forecasts.map((f) => f.text).join('\n')).toBeGreaterThanOrEqual(
      FLOORS.wellFormed,
    );
    // On tool prompts the first step is a tool call or the answer.
    const tool = prompts.flatMap((p, i) => (p.tool ? [forecasts[i].steps[0]] : []));
    expect(tool.length).toBeGreaterThan(0);
    const toolMoves = tool.filter((s) => s?.type === 'tool' || s?.type === 'answer').length;
    expect(toolMoves / tool.length, `${toolMoves} of ${tool.length}`).toBeGreaterThanOrEqual(
      FLOORS.toolMoves,
    );
  });

  it('acts through the frozen ONNX grounder and the toolbox above the floors (held-out parameters)', async () => {
    await withShippedAgent('public/models/stage0.bin', 16, async (agent) => {
      const runs = await evaluateSuites(agent, ['mobile-offline-high', 'web-offline', 'tools'], {
        count: 32,
        split: 'held-out-params',
      });
      const [mobile, web, tools] = runs.map((r) => r.result);
      const figures = JSON.stringify(runs.map((r) => r.result));
      expect(mobile.kind === 'offline' && mobile.stepSuccessRate, figures).toBeGreaterThanOrEqual(
        FLOORS.mobileOfflineStepSuccess,
      );
      expect(web.kind === 'offline' && web.stepSuccessRate, figures).toBeGreaterThanOrEqual(
        FLOORS.webOfflineStepSuccess,
      );
      // Tool steps are written, read by the toolbox and call the reference's tool.
      expect(tools.kind === 'tools' && tools.toolAccuracy, figures).toBeGreaterThanOrEqual(
        FLOORS.toolAccuracy,
      );
      // The answer is the last result, copied by its mark (digits included).
      expect(tools.kind === 'tools' && tools.answerAccuracy, figures).toBeGreaterThanOrEqual(
        FLOORS.toolAnswerAccuracy,
      );
      // Whole episodes and multi-hop answers: 24 each.
      const finishing = await evaluateSuites(
        agent,
        ['mobile-online', 'desktop-online', 'tools-multihop'],
        { count: 24, split: 'held-out-params' },
      );
      const [mobileOnline, desktopOnline, multihop] = finishing.map((r) => r.result);
      const finished = JSON.stringify(finishing.map((r) => r.result));
      expect(
        mobileOnline.kind === 'online' && mobileOnline.successRate,
        finished,
      ).toBeGreaterThanOrEqual(FLOORS.mobileOnlineSuccess);
      expect(
        desktopOnline.kind === 'online' && desktopOnline.successRate,
        finished,
      ).toBeGreaterThanOrEqual(FLOORS.desktopOnlineSuccess);
      expect(multihop.kind === 'tools' && multihop.answerAccuracy, finished).toBeGreaterThanOrEqual(
        FLOORS.multihopAnswerAccuracy,
      );
    });
  }, 300_000);

  it('finishes mobile-online episodes with the small checkpoint above its floor', async () => {
    await withShippedAgent('public/models/stage0-small.bin', 24, async (agent) => {
      const [run] = await evaluateSuites(agent, ['mobile-online'], {
        count: 24,
        split: 'held-out-params',
      });
      const r = run.result;
      expect(r.kind === 'online' && r.successRate, JSON.stringify(r)).toBeGreaterThanOrEqual(
        SMALL_FLOORS.mobileOnlineSuccess,
      );
    });
  }, 300_000);
});
