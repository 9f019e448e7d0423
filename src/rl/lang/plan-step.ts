// One step of the action language as data, and the small facts every part of the language
// shares: how text-form content is escaped, and which scroll directions exist.
import type { Direction } from '../../envs/types';
import { DIRECTIONS, type Status, type StepType } from '../../text/grammar';

/** One step of a forecast, as written or as parsed. */
export interface PlanStep {
  /** null when the parser found no valid action type. */
  type: StepType | null;
  target?: string;
  arg?: string;
  /** Absent in history steps, and in parsed steps that lack one. */
  status?: Status;
}

/** Text-form escapes: `\` and `]` inside a target, `\` and `"` inside an argument. */
export const escapeTarget = (s: string) => s.replace(/[\\\]]/g, (c) => `\\${c}`);
export const escapeArg = (s: string) => s.replace(/[\\"]/g, (c) => `\\${c}`);

export function isDirection(s: string): s is Direction {
  return (DIRECTIONS as readonly string[]).includes(s);
}
