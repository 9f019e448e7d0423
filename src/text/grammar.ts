// The words of the planner's action language, shared by the vocabulary (which gives each a
// token of its own) and the writer/parser (action-language.ts). One forecast is
//
//   forecast := step ( '|' step )* <eos>
//   step     := TYPE [ '[' target ']' ] [ '"' argument '"' ] STATUS
//
// e.g. `click [the Wi-Fi toggle] more | type [the Subject field] "hi" more | done done`.
// Keywords and symbols are tokens apart from content words, so the word "back" inside a
// description is never the action `back`.
import type { ActionType, Direction } from '../envs/types';

/** Every action type of the world, in a fixed order (the order of their token ids). */
export const ACTION_TYPES = [
  'click',
  'longpress',
  'type',
  'scroll',
  'open',
  'back',
  'home',
  'wait',
  'answer',
  'done',
] as const satisfies readonly ActionType[];

/**
 * The language's step types: the world's actions plus `tool`, a call to the toolbox in
 * tool-use tasks — `tool [calculator] "expression=\"2 + 2\"" more`, the target naming the
 * tool and the argument holding the call's arguments as formatToolCall writes them.
 * `<act:tool>` comes after the world's actions in the vocabulary and is optional there, so
 * vocabularies frozen before it existed still load (they just cannot write tool steps).
 */
export const STEP_TYPES = [...ACTION_TYPES, 'tool'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const STATUSES = ['more', 'done'] as const;
export type Status = (typeof STATUSES)[number];

export const DIRECTIONS = ['up', 'down', 'left', 'right'] as const satisfies readonly Direction[];

/** Structural symbols as they are written in the text form. */
export const SYMBOLS = {
  open: '[',
  close: ']',
  quote: '"',
  sep: '|',
} as const;
export type SymbolName = keyof typeof SYMBOLS;

/** Which fields a step of each type carries: required, optional or forbidden. */
export type FieldRule = 'required' | 'optional' | 'forbidden';

export const FIELDS: Record<StepType, { target: FieldRule; arg: FieldRule }> = {
  click: { target: 'required', arg: 'forbidden' },
  longpress: { target: 'required', arg: 'forbidden' },
  // The oracle names the focused field when there is one.
  type: { target: 'optional', arg: 'required' },
  scroll: { target: 'forbidden', arg: 'required' },
  open: { target: 'forbidden', arg: 'required' },
  back: { target: 'forbidden', arg: 'forbidden' },
  home: { target: 'forbidden', arg: 'forbidden' },
  wait: { target: 'forbidden', arg: 'forbidden' },
  answer: { target: 'forbidden', arg: 'required' },
  done: { target: 'forbidden', arg: 'forbidden' },
  // Target: the tool name; argument: `name=value, …` (may be empty only for a tool without args).
  tool: { target: 'required', arg: 'required' },
};

export function isActionType(word: string): word is ActionType {
  return (ACTION_TYPES as readonly string[]).includes(word);
}

export function isStepType(word: string): word is StepType {
  return (STEP_TYPES as readonly string[]).includes(word);
}

export function isStatus(word: string): word is Status {
  return (STATUSES as readonly string[]).includes(word);
}
