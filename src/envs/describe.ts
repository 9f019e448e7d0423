// Text views of a screen: the element list as an agent reads it (accessibility-tree-like,
// with set-of-marks ids), and natural grounding descriptions of one element, disambiguated
// against the rest of the screen ("the Delete button in the row 'Invoice 3'").
import type { Element, Observation, Role, ScreenNode } from './types';

const ROLE_WORD: Record<Role, string> = {
  button: 'button',
  toggle: 'toggle',
  text: 'text',
  textfield: 'field',
  listitem: 'item',
  menu: 'menu',
  menuitem: 'menu item',
  tab: 'tab',
  dialog: 'dialog',
  slider: 'slider',
  icon: 'icon',
  checkbox: 'checkbox',
  image: 'image',
  link: 'link',
  window: 'window',
  panel: 'panel',
};

/** Roles whose text is content (quoted after the role word) rather than a control's name. */
const CONTENT_ROLES: ReadonlySet<Role> = new Set<Role>([
  'listitem',
  'text',
  'link',
  'menuitem',
  'tab',
  'image',
  'window',
]);

function stateWords(e: Element): string {
  const words: string[] = [];
  if (e.checked !== undefined)
    words.push(e.role === 'tab' ? (e.checked ? 'selected' : '') : e.checked ? 'on' : 'off');
  if (e.value !== undefined && e.value !== '') words.push(`value=${JSON.stringify(e.value)}`);
  if (e.focused) words.push('focused');
  if (!e.enabled) words.push('disabled');
  if (!e.visible) words.push('partly visible');
  return words.filter(Boolean).join(', ');
}

/** One line per element: `[3] toggle "Wi-Fi" (on) @(4,40 152x14)`. */
export function describeElements(obs: Observation): string {
  const lines = [`screen: ${obs.app} / ${obs.title}`];
  for (const e of obs.elements) {
    const st = stateWords(e);
    const b = e.box;
    lines.push(
      `[${e.id}] ${e.role} ${JSON.stringify(e.text)}${st ? ` (${st})` : ''} @(${b.x},${b.y} ${b.w}x${b.h})`,
    );
  }
  return lines.join('\n');
}

function baseDescription(sn: ScreenNode): string {
  const n = sn.node;
  const word = ROLE_WORD[n.role];
  const text = n.text?.trim();
  if (!text) return n.icon ? `the ${n.icon} icon` : `the ${word}`;
  if (n.role === 'icon') return `the ${text} icon`;
  if (CONTENT_ROLES.has(n.role)) return `the ${word} '${text}'`;
  return `the ${text} ${word}`;
}

const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];

/**
 * A grounding description of an element that no other element on the screen shares:
 * role and text, then the row it sits in, then its position among look-alikes.
 */
export function describeNode(obs: Observation, target: ScreenNode): string {
  const peers = obs.nodes.filter((sn) => sn.id > 0);
  const base = baseDescription(target);
  const same = peers.filter((sn) => baseDescription(sn) === base);
  if (same.length <= 1) return base;
  const ctx = target.node.context;
  const sameRow = ctx ? same.filter((sn) => sn.node.context === ctx) : same;
  if (ctx && sameRow.length === 1) return `${base} in the row '${ctx}'`;
  const rank = sameRow.indexOf(target);
  const ord = ORDINALS[rank] ?? `#${rank + 1}`;
  const rest = base.replace(/^the /, '');
  return ctx ? `the ${ord} ${rest} in the row '${ctx}'` : `the ${ord} ${rest}`;
}
