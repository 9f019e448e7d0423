// Which UI elements of a screen matter most to a task, from what any agent can see (the element
// list and the instruction; nothing privileged). The planner's encoder keeps the most relevant
// elements when a screen has more than it can encode, so what it drops is what a step is least
// likely to act on: static texts, pictures and containers go first (the oracle never acts on
// them), then interactive elements that are hidden, disabled or share no word with the task.
//
//   rankByRelevance(obs.elements, instruction)  -> the elements, most relevant first
import type { Element, Role } from './types';

/** Roles a step can act on (click, long-press, type into, toggle, pick). */
export const ACTIONABLE_ROLES: ReadonlySet<Role> = new Set<Role>([
  'button',
  'toggle',
  'textfield',
  'listitem',
  'menu',
  'menuitem',
  'tab',
  'slider',
  'icon',
  'checkbox',
  'link',
]);

const WORD = /[\p{L}\p{N}]+/gu;

function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).filter((w) => w.length > 1);
}

/**
 * A relevance score: actionable roles dominate (every reference target is actionable), then
 * a word shared with the task text, then being fully on screen and enabled.
 */
export function relevanceScore(el: Element, taskWords: ReadonlySet<string>): number {
  const label = `${el.text} ${typeof el.value === 'string' ? el.value : ''}`;
  const shared = words(label).some((w) => taskWords.has(w));
  return (
    (ACTIONABLE_ROLES.has(el.role) ? 8 : 0) +
    (shared ? 4 : 0) +
    (el.visible ? 2 : 0) +
    (el.enabled ? 1 : 0)
  );
}

/**
 * The elements ordered by relevance to `taskText` (the instruction, plus any history text),
 * most relevant first; ties keep reading order, so the result is deterministic.
 */
export function rankByRelevance(elements: readonly Element[], taskText: string): Element[] {
  const taskWords = new Set(words(taskText));
  return elements
    .map((el, i) => ({ el, i, score: relevanceScore(el, taskWords) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((x) => x.el);
}
