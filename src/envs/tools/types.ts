// Shared shapes of the toolbox: a call, its execution feedback, and number formatting.
// Tools never throw on bad input; they answer with { ok: false, error } the agent can read.

export type ToolResult = { ok: true; result: string } | { ok: false; error: string };

/** One tool invocation as the planner writes it: a tool name and named arguments. */
export interface ToolCall {
  tool: string;
  args: Record<string, unknown>;
}

/** An RGB screenshot, row-major, 3 bytes per pixel (what the world's renderer produces). */
export interface Screenshot {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** A pixel rectangle; x, y is the top-left corner. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function ok(result: string): ToolResult {
  return { ok: true, result };
}

export function fail(error: string): ToolResult {
  return { ok: false, error };
}

/**
 * Canonical text of a number: 12 significant digits, so floating-point noise
 * (0.1 + 0.2) disappears, no trailing zeros, and never "-0".
 */
export function formatNumber(x: number): string {
  const rounded = Number(x.toPrecision(12));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** Lower-case, accents stripped, punctuation to spaces, single spaces: keys that survive typing. */
export function normalizeKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
