// Evaluation of a batched agent on the seven suites, with each suite's own metrics: the same
// instances, logs, turn limits and scoring as the suites' evaluate() (src/envs/suites), but
// asynchronous and batched, so a planner decides many episodes per sampler call. For an agent
// of batch 1 the calls happen in evaluate()'s exact order, so a wrapped suite agent scores
// exactly what evaluate() gives it (the tests hold the two together).
import {
  accuracyByLevel,
  offlineMetrics,
  successRate,
  toolSuiteMetrics,
  type StepPair,
  type ToolEpisodeLog,
} from '../../envs/metrics';
import {
  answerOutcomes,
  evaluationInstances,
  getSuite,
  suiteInstances,
  MAX_TOOL_CALLS,
  offlineLog,
  stepOutcomes,
  toPredicted,
  toReference,
  type GuiInstance,
  type SuiteName,
  type SuiteResult,
  type ToolInstance,
  type ToolTurn,
} from '../../envs/suites';
import type { Split } from '../../envs/task';
import { generateToolTask, runTool, type ToolContext } from '../../envs/tools';
import { runOnlineEpisodes } from '../agent/receding-horizon';
import type { BatchAgent } from '../agent/batch-agent';
import type { FirstMissRecorder } from './first-miss';

export interface EvalOptions {
  /**
   * Online and tool suites: the first `count` benchmark instances; offline suites: at least
   * `count` logged steps (as `npm run world -- baselines --count N`). Default: the suite's size.
   */
  count?: number;
  /**
   * One held-out split only (held-out parameters, templates or apps); default: the suites'
   * benchmark mix of all three. Tool suites have held-out parameters only.
   */
  split?: Split;
  /** Called after each episode, logged step or tool task. */
  onProgress?: (suite: SuiteName, done: number, total: number) => void;
  /** Online suites: records where each episode first leaves the oracle's path. */
  misses?: FirstMissRecorder;
}

export interface SuiteRun {
  result: SuiteResult;
  seconds: number;
  /** Episodes (online, tools) or logged steps (offline) evaluated. */
  units: number;
  unitsPerSecond: number;
}

/** The suite's metrics for `agent`, as the suites' evaluate() reports them. */
export async function evaluateSuite(
  agent: BatchAgent,
  suite: SuiteName,
  opts: EvalOptions = {},
): Promise<SuiteResult> {
  const spec = getSuite(suite);
  const count = opts.count ?? spec.size;
  const progress = (done: number, total: number) => opts.onProgress?.(suite, done, total);
  if (spec.kind === 'offline')
    return evaluateOffline(agent, suite, count, progress, opts.split ?? 'evaluation');
  const instances = opts.split
    ? suiteInstances(suite, opts.split, count)
    : evaluationInstances(suite, count);
  if (spec.kind === 'tools')
    return evaluateTools(agent, suite, instances as ToolInstance[], progress);
  let done = 0;
  opts.misses?.startSuite(suite);
  const outcomes = await runOnlineEpisodes(
    agent,
    instances as GuiInstance[],
    opts.misses?.observer,
    () => progress(++done, instances.length),
  );
  const bySplit: Record<string, { tasks: number; successRate: number }> = {};
  for (const split of new Set(outcomes.map((o) => o.spec.split))) {
    const group = outcomes.filter((o) => o.spec.split === split);
    bySplit[split] = { tasks: group.length, successRate: successRate(group.map((o) => o.success)) };
  }
  return {
    suite,
    kind: 'online',
    tasks: outcomes.length,
    successRate: successRate(outcomes.map((o) => o.success)),
    bySplit,
    outcomes: outcomes.map((o) => (o.success ? 1 : 0)),
  };
}

async function evaluateOffline(
  agent: BatchAgent,
  suite: SuiteName,
  minSteps: number,
  progress: (done: number, total: number) => void,
  split: Split | 'evaluation',
): Promise<SuiteResult> {
  const log = offlineLog(suite, split, minSteps);
  const pairs: StepPair[] = [];
  const size = Math.max(1, agent.batch);
  for (let from = 0; from < log.steps.length; from += size) {
    const chunk = log.steps.slice(from, from + size);
    for (const step of chunk) agent.begin?.({ kind: 'offline', step });
    const actions = await agent.act(
      chunk.map((step) => ({
        observation: step.observation,
        instruction: step.goal,
        history: step.history,
        logged: step,
      })),
    );
    chunk.forEach((step, i) =>
      pairs.push({
        predicted: toPredicted(actions[i], step.observation),
        reference: toReference(step.reference),
      }),
    );
    progress(pairs.length, log.steps.length);
  }
  const m = offlineMetrics(pairs);
  return {
    suite,
    kind: 'offline',
    steps: m.steps,
    episodes: log.episodes,
    stepSuccessRate: m.stepSuccessRate,
    elementAccuracy: m.elementAccuracy,
    operationF1: m.operationF1,
    outcomes: stepOutcomes(pairs),
  };
}

/** Tool tasks in lockstep: calls until each answers or has made MAX_TOOL_CALLS calls. */
async function evaluateTools(
  agent: BatchAgent,
  suite: SuiteName,
  instances: readonly ToolInstance[],
  progress: (done: number, total: number) => void,
): Promise<SuiteResult> {
  const logs: ToolEpisodeLog[] = [];
  const size = Math.max(1, agent.batch);
  for (let from = 0; from < instances.length; from += size) {
    const live = instances.slice(from, from + size).map((inst) => {
      const task = generateToolTask(inst.suite, inst.seed, inst.level ? { level: inst.level } : {});
      agent.begin?.({ kind: 'tools', task });
      const context: ToolContext = { screenshot: task.screen?.screenshot };
      const query = { instruction: task.instruction, screen: task.screen?.screenshot };
      return { task, context, query, turns: [] as ToolTurn[], answer: '', over: false };
    });
    for (;;) {
      const running = live.filter((t) => !t.over);
      if (running.length === 0) break;
      const moves = await agent.useTools(running.map((t) => ({ query: t.query, turns: t.turns })));
      running.forEach((t, i) => {
        const move = moves[i];
        if (move.type === 'answer') [t.answer, t.over] = [move.text, true];
        else if (t.turns.length === MAX_TOOL_CALLS) t.over = true;
        else t.turns.push({ call: move.call, result: runTool(move.call, t.context) });
      });
    }
    for (const t of live) {
      logs.push({
        answer: t.answer,
        gold: t.task.gold,
        calls: t.turns.map((turn) => ({ tool: turn.call.tool, ok: turn.result.ok })),
        referenceTools: t.task.chain.map((s) => s.call.tool),
        level: t.task.level,
      });
    }
    progress(logs.length, instances.length);
  }
  const m = toolSuiteMetrics(logs);
  return {
    suite,
    kind: 'tools',
    tasks: m.episodes,
    answerAccuracy: m.answerAccuracy,
    toolAccuracy: m.toolAccuracy,
    executionRate: m.executionRate,
    byLevel: accuracyByLevel(logs).byLevel,
    outcomes: answerOutcomes(logs),
  };
}

/** Each suite in turn, timed. */
export async function evaluateSuites(
  agent: BatchAgent,
  suites: readonly SuiteName[],
  opts: EvalOptions = {},
): Promise<SuiteRun[]> {
  const runs: SuiteRun[] = [];
  for (const suite of suites) {
    // A split the suite has no instances of (tool suites' held-out templates) is left out.
    if (opts.split && getSuite(suite).kind !== 'offline')
      if (suiteInstances(suite, opts.split, 1).length === 0) continue;
    if (opts.split && getSuite(suite).kind === 'offline')
      if (offlineLog(suite, opts.split, 1).steps.length === 0) continue;
    const started = performance.now();
    const result = await evaluateSuite(agent, suite, opts);
    const seconds = (performance.now() - started) / 1000;
    const units = result.kind === 'offline' ? result.steps : result.tasks;
    runs.push({ result, seconds, units, unitsPerSecond: units / Math.max(seconds, 1e-9) });
  }
  return runs;
}
