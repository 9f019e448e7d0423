// Three reference agents: the oracle (the ceiling: it reads the privileged task), a seeded
// random agent and a simple heuristic (the floor that learned agents must beat).
import { hashString, Rng } from '../../rng';
import { normalizeTokens } from '../metrics';
import { solve, type RefStep } from '../oracle';
import { randomAction } from '../random';
import { APPS } from '../registry';
import { TOOLS, unitCatalogue, type ToolCall, type ToolTask } from '../tools';
import type { Action, Observation, WorldState } from '../types';
import { applyAction } from '../world';
import type { Agent, HistoryItem, Privileged, ToolMove, ToolQuery, ToolTurn } from './agent';
import type { LoggedStep } from './offline';

// ---------------------------------------------------------------------------------------------
// Oracle

/**
 * Follows the oracle's reference trajectory. Online it solves once and re-solves only when the
 * world is not where the last step should have led (a pop-up, executor noise).
 */
export function oracleAgent(): Agent {
  let online: Extract<Privileged, { kind: 'online' }> | null = null;
  let tool: ToolTask | null = null;
  let plan: { steps: RefStep[]; next: number; expect: string } | null = null;
  return {
    name: 'oracle',
    begin(info) {
      if (info.kind === 'online') [online, plan] = [info, null];
      if (info.kind === 'tools') tool = info.task;
    },
    act(observation: Observation): Action {
      if (!online) throw new Error('oracle agent: act() before begin()');
      const world = online.world();
      const key = JSON.stringify(world);
      if (!plan || plan.expect !== key || plan.next >= plan.steps.length) {
        const solved = solve(online.task.template, online.task.params, world);
        if (solved.steps.length === 0) return { type: 'done' };
        plan = { steps: solved.steps, next: 0, expect: key };
      }
      const action = plan.steps[plan.next++].action;
      const after: WorldState = applyAction(world, action, observation).world;
      plan.expect = JSON.stringify(after);
      return action;
    },
    predictStep: (step: LoggedStep) => step.reference.action,
    useTools(_query: ToolQuery, turns: readonly ToolTurn[]): ToolMove {
      if (!tool) throw new Error('oracle agent: useTools() before begin()');
      if (turns.length < tool.chain.length)
        return { type: 'call', call: tool.chain[turns.length].call };
      return { type: 'answer', text: tool.gold };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Random

/** A seed for each episode or logged step, so scores do not depend on evaluation order. */
function episodeSeed(seed: number, info: Privileged): number {
  const id =
    info.kind === 'online'
      ? `online/${info.task.template.id}/${info.task.seed}`
      : info.kind === 'offline'
        ? `offline/${info.step.instance.template}/${info.step.instance.seed}/${info.step.step}`
        : `tools/${info.task.id}`;
  return hashString(`${seed}/${id}`);
}

/**
 * Seeded random actions: on GUIs, what randomAction draws from the screen, with a 5% chance
 * of saying done; on tool tasks, up to three calls of random tools on words and numbers of
 * the instruction, then an answer taken from a result or the instruction.
 */
export function randomAgent(seed = 0): Agent {
  let rng = new Rng(seed);
  const apps = [...APPS.keys()];
  return {
    name: 'random',
    begin(info) {
      rng = new Rng(episodeSeed(seed, info));
    },
    act(observation: Observation): Action {
      if (rng.chance(0.05)) return { type: 'done' };
      return randomAction(rng, observation, apps);
    },
    useTools(query: ToolQuery, turns: readonly ToolTurn[]): ToolMove {
      const words = query.instruction.split(/\s+/).filter(Boolean);
      if (turns.length >= 3 || rng.chance(0.3)) {
        const results = turns.flatMap((t) => (t.result.ok ? [t.result.result] : []));
        const text = results.length && rng.chance(0.5) ? rng.pick(results) : rng.pick(words);
        return { type: 'answer', text };
      }
      const tool = rng.pick(TOOLS);
      const args: Record<string, unknown> = {};
      for (const a of tool.args)
        args[a.name] = a.type === 'number' ? rng.int(0, 100) : rng.pick(words);
      return { type: 'call', call: { tool: tool.name, args } };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Heuristic

const STOP = new Set(
  'to of in on the a an and or for from with your you my me it is be this that then turn set make into at by as what how which'.split(
    ' ',
  ),
);

const contentWords = (text: string) => normalizeTokens(text).filter((t) => !STOP.has(t));

/** Quoted phrases of the instruction ('...' or "..."), the likely text to type. */
function quoted(text: string): string[] {
  return [...text.matchAll(/["“']([^"”']{1,60})["”']/g)].map((m) => m[1]);
}

/**
 * GUI: type a quoted phrase into a focused field; else click the element whose text shares
 * the most words with the instruction and was not clicked before; else scroll down; else done.
 * Tools: one call picked by the wording of the question, then answer with its result.
 */
export function heuristicAgent(): Agent {
  return {
    name: 'heuristic',
    act(obs: Observation, instruction: string, history: readonly HistoryItem[]): Action {
      if (history.length >= 12) return { type: 'done' };
      const focused = obs.elements.find((e) => e.focused && e.role === 'textfield');
      const typed = new Set(history.filter((h) => h.type === 'type').map((h) => h.arg));
      const phrase = quoted(instruction).find((q) => !typed.has(q));
      if (focused && phrase !== undefined) return { type: 'type', text: phrase };
      const words = new Set(contentWords(instruction));
      const clicked = history.map((h) => h.target ?? '').join(' | ');
      let best: { id: number; score: number } | null = null;
      for (const el of obs.elements) {
        if (!el.enabled || !el.visible || el.text === '' || clicked.includes(el.text)) continue;
        const score = contentWords(el.text).filter((w) => words.has(w)).length;
        if (score > 0 && (!best || score > best.score)) best = { id: el.id, score };
      }
      if (best) return { type: 'click', id: best.id };
      if (!obs.modal && obs.scroll.y < obs.scroll.maxY)
        return { type: 'scroll', direction: 'down' };
      return { type: 'done' };
    },
    useTools(query: ToolQuery, turns: readonly ToolTurn[]): ToolMove {
      if (turns.length > 0) {
        const r = turns[0].result;
        return { type: 'answer', text: r.ok ? r.result : firstNumber(query.instruction) };
      }
      const call = guessCall(query);
      return call
        ? { type: 'call', call }
        : { type: 'answer', text: firstNumber(query.instruction) };
    },
  };
}

function firstNumber(text: string): string {
  return /-?\d+(?:\.\d+)?/.exec(text.replace(/,/g, ''))?.[0] ?? '';
}

const UNITS = new Set(Object.values(unitCatalogue()).flat());

/** One tool call read off the question's wording, or null when no rule fits. */
function guessCall(q: ToolQuery): ToolCall | null {
  const text = q.instruction;
  if (/picture|image|screen/i.test(text) && q.screen)
    return { tool: 'ocr', args: { x: 0, y: 0, w: q.screen.width, h: q.screen.height } };
  const conv = /convert\s+(-?[\d.]+)\s*(\S+)\s+to\s+([^\s.?]+)/i.exec(text);
  if (conv && UNITS.has(conv[2]) && UNITS.has(conv[3]))
    return { tool: 'unit_convert', args: { value: Number(conv[1]), from: conv[2], to: conv[3] } };
  const pct = /([\d.]+)%\s+of\s+([\d.,]+)/.exec(text);
  if (pct)
    return {
      tool: 'calculator',
      args: { expression: `${pct[2].replace(/,/g, '')} * ${pct[1]} / 100` },
    };
  const compute = /compute\s+(.+?)\.?$/i.exec(text);
  if (compute)
    return {
      tool: 'calculator',
      args: { expression: compute[1].replace(/×/g, '*').replace(/[−–]/g, '-').replace(/÷/g, '/') },
    };
  const rel =
    /(capital|currency|inventor)\s+of\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*|[\w ]+?)(?:[?,.]|\s+was|\s+born|$)/.exec(
      text,
    );
  if (rel) return { tool: 'knowledge', args: { subject: rel[2].trim(), relation: rel[1] } };
  return null;
}
