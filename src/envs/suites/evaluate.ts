// evaluate(agent, suite): run an agent on a suite's benchmark instances and score it with the
// suite's metrics (metrics.ts). Online suites play whole episodes; offline suites ask for one
// prediction per logged step; tool suites let the agent call the toolbox, then answer.
import { Episode } from '../episode';
import { describeStep, type RefStep } from '../oracle';
import { getTemplate } from '../registry';
import {
  accuracyByLevel,
  answersMatch,
  offlineMetrics,
  stepSuccess,
  successRate,
  toolSuiteMetrics,
  type StepPair,
  type ToolEpisodeLog,
} from '../metrics';
import { generateToolTask, runTool, type ToolContext } from '../tools';
import type { Action, Observation } from '../types';
import { predictLogged, toPredicted, toReference, type Agent, type ToolTurn } from './agent';
import { offlineLog } from './offline';
import { getSuite, type SuiteName } from './spec';
import { evaluationInstances, type GuiInstance, type ToolInstance } from './splits';

/** Most tool calls an agent may make before it must answer (the longest oracle chain is 8). */
export const MAX_TOOL_CALLS = 12;

export type SuiteResult =
  | {
      suite: SuiteName;
      kind: 'online';
      tasks: number;
      successRate: number;
      /** Success rate per held-out split present. */
      bySplit: Record<string, { tasks: number; successRate: number }>;
      /** Per episode: 1 on success, else 0 (the units a confidence interval resamples). */
      outcomes?: number[];
    }
  | {
      suite: SuiteName;
      kind: 'offline';
      steps: number;
      episodes: number;
      stepSuccessRate: number;
      elementAccuracy: number;
      operationF1: number;
      /** Per logged step: 1 when the step succeeded, else 0. */
      outcomes?: number[];
    }
  | {
      suite: SuiteName;
      kind: 'tools';
      tasks: number;
      answerAccuracy: number;
      toolAccuracy: number;
      executionRate: number;
      byLevel: Record<number, { episodes: number; accuracy: number }>;
      /** Per task: 1 when the answer matched, else 0. */
      outcomes?: number[];
    };

export interface EvaluateOptions {
  /** Online and tool suites: evaluate only the first `count` instances (a sample). */
  count?: number;
  /** Offline suites: log at least this many steps (default: the suite's size). */
  minSteps?: number;
}

/** A reference-style description of any action, also of invalid ones (no throwing). */
function describe(obs: Observation, action: Action): RefStep {
  const byId = (action.type === 'click' || action.type === 'longpress') && 'id' in action;
  if (byId && !obs.elements[action.id - 1])
    return { type: action.type, action, instruction: `${action.type} element ${action.id}` };
  return describeStep(obs, action);
}

/** Play one online episode to its end; true on success. */
export function runOnline(
  agent: Agent,
  instance: GuiInstance,
): { success: boolean; steps: number } {
  const episode = new Episode(getTemplate(instance.template), instance.seed, {
    perturb: instance.perturb,
  });
  let obs = episode.reset();
  agent.begin?.({ kind: 'online', task: episode.task, world: () => episode.world });
  const history: RefStep[] = [];
  while (!episode.done) {
    const action = agent.act(obs, episode.instruction, history);
    history.push(describe(obs, action));
    obs = episode.step(action).obs;
  }
  return { success: episode.success, steps: episode.steps };
}

/** Play one tool-use task: calls until the agent answers or runs out of calls. */
export function runTools(agent: Agent, instance: ToolInstance): ToolEpisodeLog {
  const task = generateToolTask(
    instance.suite,
    instance.seed,
    instance.level ? { level: instance.level } : {},
  );
  agent.begin?.({ kind: 'tools', task });
  const context: ToolContext = { screenshot: task.screen?.screenshot };
  const query = { instruction: task.instruction, screen: task.screen?.screenshot };
  const turns: ToolTurn[] = [];
  let answer = '';
  for (let i = 0; i <= MAX_TOOL_CALLS; i++) {
    const move = agent.useTools(query, turns);
    if (move.type === 'answer') {
      answer = move.text;
      break;
    }
    if (i === MAX_TOOL_CALLS) break;
    turns.push({ call: move.call, result: runTool(move.call, context) });
  }
  return {
    answer,
    gold: task.gold,
    calls: turns.map((t) => ({ tool: t.call.tool, ok: t.result.ok })),
    referenceTools: task.chain.map((s) => s.call.tool),
    level: task.level,
  };
}

/** The metrics of `agent` on the benchmark of `suite`. */
export function evaluate(agent: Agent, suite: SuiteName, opts: EvaluateOptions = {}): SuiteResult {
  const spec = getSuite(suite);
  if (spec.kind === 'offline') {
    const log = offlineLog(suite, 'evaluation', opts.minSteps ?? spec.size);
    const pairs: StepPair[] = log.steps.map((step) => {
      agent.begin?.({ kind: 'offline', step });
      const action = predictLogged(agent, step);
      return {
        predicted: toPredicted(action, step.observation),
        reference: toReference(step.reference),
      };
    });
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
  const instances = evaluationInstances(suite, opts.count ?? spec.size);
  if (spec.kind === 'tools') {
    const logs = (instances as ToolInstance[]).map((inst) => runTools(agent, inst));
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
  const outcomes = (instances as GuiInstance[]).map((inst) => ({
    split: inst.split,
    success: runOnline(agent, inst).success,
  }));
  const bySplit: Record<string, { tasks: number; successRate: number }> = {};
  for (const split of new Set(outcomes.map((o) => o.split))) {
    const group = outcomes.filter((o) => o.split === split);
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

/** Per logged step: 1 when it succeeded (the offline headline's units). */
export function stepOutcomes(pairs: readonly StepPair[]): number[] {
  return pairs.map((p) => (stepSuccess(p.predicted, p.reference) ? 1 : 0));
}

/** Per tool task: 1 when the answer matched (the tool headline's units). */
export function answerOutcomes(logs: readonly ToolEpisodeLog[]): number[] {
  return logs.map((l) => (answersMatch(l.answer, l.gold) ? 1 : 0));
}

/** The suite's headline metrics as (label, value in [0,1]) pairs, in the paper's order. */
export function headlineMetrics(r: SuiteResult): [string, number][] {
  switch (r.kind) {
    case 'online':
      return [['success rate', r.successRate]];
    case 'offline':
      return r.suite === 'web-offline'
        ? [
            ['element accuracy', r.elementAccuracy],
            ['operation F1', r.operationF1],
            ['step success', r.stepSuccessRate],
          ]
        : [['step success', r.stepSuccessRate]];
    case 'tools':
      return r.suite === 'tools-multihop'
        ? [
            ['answer accuracy', r.answerAccuracy],
            ...[1, 2, 3].map((l): [string, number] => [`level ${l}`, r.byLevel[l]?.accuracy ?? 0]),
          ]
        : [
            ['answer accuracy', r.answerAccuracy],
            ['tool accuracy', r.toolAccuracy],
            ['execution rate', r.executionRate],
          ];
  }
}
