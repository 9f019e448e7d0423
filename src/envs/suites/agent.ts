// The agent interface the suites evaluate, and the adapters from our actions and reference
// steps to the metric types of metrics.ts.
//
//   online:  act(observation, instruction, history) -> Action, until 'done' or the step budget;
//   offline: predictStep(step) -> Action for one logged step (default: act with the logged
//            observation, the goal and the logged reference history);
//   tools:   useTools(query, turns) -> a tool call or the final answer.
// `begin` hands over privileged information before each episode or logged step. Only the
// oracle reads it; other agents may use it to derive a per-episode random seed.
import type { RefStep } from '../oracle';
import type { Action, Observation, WorldState } from '../types';
import type { PredictedStep, ReferenceStep } from '../metrics';
import type { Screenshot, ToolCall, ToolResult, ToolTask } from '../tools';
import type { TaskInstance } from '../episode';
import type { LoggedStep } from './offline';

/** What an agent remembers of earlier steps: the step as the oracle would describe it. */
export type HistoryItem = RefStep;

export interface ToolQuery {
  instruction: string;
  /** The picture OCR reads, when the task has one. */
  screen?: Screenshot;
}

export interface ToolTurn {
  call: ToolCall;
  result: ToolResult;
}

export type ToolMove = { type: 'call'; call: ToolCall } | { type: 'answer'; text: string };

export type Privileged =
  | { kind: 'online'; task: TaskInstance; world: () => WorldState }
  | { kind: 'offline'; step: LoggedStep }
  | { kind: 'tools'; task: ToolTask };

export interface Agent {
  readonly name: string;
  begin?(info: Privileged): void;
  act(observation: Observation, instruction: string, history: readonly HistoryItem[]): Action;
  predictStep?(step: LoggedStep): Action;
  useTools(query: ToolQuery, turns: readonly ToolTurn[]): ToolMove;
}

/** The offline prediction of an agent: its own predictStep, else act on the logged inputs. */
export function predictLogged(agent: Agent, step: LoggedStep): Action {
  return agent.predictStep
    ? agent.predictStep(step)
    : agent.act(step.observation, step.goal, step.history);
}

// ---------------------------------------------------------------------------------------------
// Adapters to metrics.ts

const centreOf = (b: { x: number; y: number; w: number; h: number }) => ({
  x: b.x + Math.floor(b.w / 2),
  y: b.y + Math.floor(b.h / 2),
});

/** An action as a metric prediction; clicks on an element id become its centre point. */
export function toPredicted(action: Action, obs: Observation): PredictedStep {
  switch (action.type) {
    case 'click':
    case 'longpress': {
      if ('id' in action) {
        const el = obs.elements[action.id - 1];
        return el ? { type: action.type, point: centreOf(el.box) } : { type: action.type };
      }
      return { type: action.type, point: { x: action.x, y: action.y } };
    }
    case 'type':
    case 'answer':
      return { type: action.type, text: action.text };
    case 'open':
      return { type: action.type, text: action.app };
    case 'scroll':
      return { type: action.type, direction: action.direction };
    default:
      return { type: action.type };
  }
}

/**
 * A reference step as a metric reference: clicks are scored by the target's visible box,
 * typing by text (into whichever field has focus), scrolls by direction, open and answer by
 * their argument as text; back, home, wait and done by type alone.
 */
export function toReference(ref: RefStep): ReferenceStep {
  const a = ref.action;
  switch (a.type) {
    case 'click':
    case 'longpress':
      return ref.box ? { type: a.type, target: { ...ref.box } } : { type: a.type };
    case 'type':
    case 'answer':
      return { type: a.type, text: a.text };
    case 'open':
      return { type: a.type, text: a.app };
    case 'scroll':
      return { type: a.type, direction: a.direction };
    default:
      return { type: a.type };
  }
}
