// Calculator tool: a safe arithmetic evaluator (no eval, no Function), by recursive descent.
// Example: calculator("round(240 * 17.5 / 100, 1) + 2^3") -> "50".
//
// Grammar, lowest precedence first (`^` is right-associative and binds tighter than unary minus,
// so -2^2 = -4 and 2^-1 = 0.5):
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/' | '%') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := atom ('^' unary)?
//   atom    := number | constant | name '(' sum (',' sum)* ')' | '(' sum ')'

import { fail, formatNumber, ok, type ToolResult } from './types';

const MAX_INPUT_CHARS = 500;
const MAX_NESTING = 64; // bounds the recursion, so hostile input cannot overflow the stack

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  apply(args: number[]): number | string; // a string is an error message
}

const FUNCTIONS: Record<string, FunctionSpec> = {
  sqrt: {
    minArgs: 1,
    maxArgs: 1,
    apply: ([x]) => (x < 0 ? 'square root of a negative number' : Math.sqrt(x)),
  },
  abs: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.abs(x) },
  floor: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.floor(x) },
  ceil: { minArgs: 1, maxArgs: 1, apply: ([x]) => Math.ceil(x) },
  round: { minArgs: 1, maxArgs: 2, apply: ([x, digits]) => roundTo(x, digits ?? 0) },
  min: { minArgs: 1, maxArgs: 32, apply: (xs) => Math.min(...xs) },
  max: { minArgs: 1, maxArgs: 32, apply: (xs) => Math.max(...xs) },
};

/** Half away from zero at `digits` decimals, done in decimal text so 1.005 rounds to 1.01. */
function roundTo(x: number, digits: number): number | string {
  if (!Number.isInteger(digits) || digits < 0 || digits > 12) {
    return 'round digits must be a whole number from 0 to 12';
  }
  const magnitude = Math.round(Number(`${Math.abs(x)}e${digits}`));
  return Math.sign(x) * Number(`${magnitude}e-${digits}`);
}

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number };

// Unicode operators people paste or an OCR'd receipt may contain.
const OPERATOR_ALIASES: Record<string, string> = { '×': '*', '÷': '/', '−': '-', '·': '*' };

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const m = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(text.slice(i));
      if (!m) return `malformed number at position ${i + 1}`;
      tokens.push({ kind: 'num', value: Number(m[0]), at: i });
      i += m[0].length;
      if (i < text.length && /[0-9.]/.test(text[i])) return `malformed number at position ${i + 1}`;
    } else if (/[a-z]/i.test(c)) {
      const m = /^[a-z]+/i.exec(text.slice(i))!;
      tokens.push({ kind: 'name', value: m[0].toLowerCase(), at: i });
      i += m[0].length;
    } else if (text.startsWith('**', i)) {
      tokens.push({ kind: 'op', value: '^', at: i });
      i += 2;
    } else if ('+-*/%^(),'.includes(c) || c in OPERATOR_ALIASES) {
      tokens.push({ kind: 'op', value: OPERATOR_ALIASES[c] ?? c, at: i });
      i++;
    } else {
      return `unexpected character '${c}' at position ${i + 1}`;
    }
  }
  return tokens;
}

class ParseError extends Error {}

/** Recursive-descent evaluator over the token list; errors are thrown inside, caught at the top. */
class Evaluator {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  evaluate(): number {
    const value = this.sum();
    const extra = this.tokens[this.pos];
    if (extra) throw new ParseError(`unexpected '${extra.value}' at position ${extra.at + 1}`);
    return value;
  }

  private peekOp(...ops: string[]): string | null {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' && ops.includes(t.value) ? t.value : null;
  }

  private expectOp(op: string): void {
    if (!this.peekOp(op)) {
      const t = this.tokens[this.pos];
      throw new ParseError(
        t ? `expected '${op}' but found '${t.value}'` : `expected '${op}' at the end`,
      );
    }
    this.pos++;
  }

  private sum(): number {
    let value = this.product();
    for (let op = this.peekOp('+', '-'); op; op = this.peekOp('+', '-')) {
      this.pos++;
      const rhs = this.product();
      value = op === '+' ? value + rhs : value - rhs;
    }
    return value;
  }

  private product(): number {
    let value = this.unary();
    for (let op = this.peekOp('*', '/', '%'); op; op = this.peekOp('*', '/', '%')) {
      this.pos++;
      const rhs = this.unary();
      if (op === '*') value *= rhs;
      else if (rhs === 0) throw new ParseError(op === '/' ? 'division by zero' : 'modulo by zero');
      else value = op === '/' ? value / rhs : value % rhs;
    }
    return value;
  }

  private unary(): number {
    const op = this.peekOp('-', '+');
    if (!op) return this.power();
    this.pos++;
    return this.nested(() => (op === '-' ? -this.unary() : this.unary()));
  }

  private power(): number {
    const base = this.atom();
    if (!this.peekOp('^')) return base;
    this.pos++;
    const exponent = this.nested(() => this.unary());
    const value = Math.pow(base, exponent);
    if (Number.isNaN(value)) throw new ParseError('power is not a real number');
    return value;
  }

  private atom(): number {
    const t = this.tokens[this.pos];
    if (!t) throw new ParseError('expression ends too early');
    this.pos++;
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op') {
      if (t.value !== '(') throw new ParseError(`unexpected '${t.value}' at position ${t.at + 1}`);
      const value = this.nested(() => this.sum());
      this.expectOp(')');
      return value;
    }
    if (t.value in FUNCTIONS) return this.call(t.value);
    if (t.value in CONSTANTS) return CONSTANTS[t.value];
    throw new ParseError(`unknown name '${t.value}'`);
  }

  private call(name: string): number {
    const spec = FUNCTIONS[name];
    this.expectOp('(');
    const args = [this.nested(() => this.sum())];
    while (this.peekOp(',')) {
      this.pos++;
      args.push(this.nested(() => this.sum()));
    }
    this.expectOp(')');
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const range =
        spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
      throw new ParseError(`${name} takes ${range} argument(s), got ${args.length}`);
    }
    const value = spec.apply(args);
    if (typeof value === 'string') throw new ParseError(value);
    return value;
  }

  private nested(parse: () => number): number {
    if (++this.depth > MAX_NESTING) throw new ParseError('expression is nested too deeply');
    const value = parse();
    this.depth--;
    return value;
  }
}

/** Evaluates an arithmetic expression; the result is the canonical number text. */
export function calculate(expression: string): ToolResult {
  if (expression.trim() === '') return fail('empty expression');
  if (expression.length > MAX_INPUT_CHARS) {
    return fail(`expression is longer than ${MAX_INPUT_CHARS} characters`);
  }
  const tokens = tokenize(expression);
  if (typeof tokens === 'string') return fail(tokens);
  try {
    const value = new Evaluator(tokens).evaluate();
    if (!Number.isFinite(value)) return fail('result is too large');
    return ok(formatNumber(value));
  } catch (e) {
    if (e instanceof ParseError) return fail(e.message);
    throw e;
  }
}
