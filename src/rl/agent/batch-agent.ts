// The agent interface evaluation and stage 2 drive: the suites' Agent (src/envs/suites/agent.ts)
// made asynchronous and batched, because a planner decides many episodes in one sampler call
// and its backend answers with a Promise. Every request is what the suites' Agent would be
// asked: act(observation, instruction, history) online and offline (with the logged step),
// useTools(query, turns) on tool tasks.
//
//   fromSuiteAgent(oracleAgent())   // any synchronous suite agent, one episode at a time
//   plannerAgent(forecaster, grounder)   // the receding-horizon planner (planner-agent.ts)
import {
  predictLogged,
  type Agent,
  type HistoryItem,
  type Privileged,
  type ToolMove,
  type ToolQuery,
  type ToolTurn,
} from '../../envs/suites/agent';
import type { LoggedStep } from '../../envs/suites/offline';
import type { Action, Observation } from '../../envs/types';

export interface ActRequest {
  observation: Observation;
  instruction: string;
  history: readonly HistoryItem[];
  /** Offline suites: the logged step being predicted (its observation is `observation`). */
  logged?: LoggedStep;
}

export interface ToolRequest {
  query: ToolQuery;
  turns: readonly ToolTurn[];
}

export interface BatchAgent {
  readonly name: string;
  /**
   * Most episodes (logged steps, tool tasks) decided in one call. An agent that keeps state
   * between begin() and its decisions must say 1: drivers then run one episode at a time, in
   * exactly the order the suites' evaluate() does.
   */
  readonly batch: number;
  begin?(info: Privileged): void;
  act(requests: readonly ActRequest[]): Promise<Action[]>;
  useTools(requests: readonly ToolRequest[]): Promise<ToolMove[]>;
}

/** A synchronous suite agent (oracle, random, heuristic) as a BatchAgent of batch 1. */
export function fromSuiteAgent(agent: Agent): BatchAgent {
  return {
    name: agent.name,
    batch: 1,
    begin: agent.begin?.bind(agent),
    act: async (requests) =>
      requests.map((r) =>
        r.logged
          ? predictLogged(agent, r.logged)
          : agent.act(r.observation, r.instruction, r.history),
      ),
    useTools: async (requests) => requests.map((r) => agent.useTools(r.query, r.turns)),
  };
}
