// A small argument parser for the CLIs: positionals plus declared --flags, with errors that
// name what was wrong and list the valid choices (rather than silently ignoring a typo).

export type FlagType = 'string' | 'int' | 'boolean';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | number | boolean>;
}

export class UsageError extends Error {}

/** True when the command line asks for the usage text (--help or -h anywhere). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagType>): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  const known = Object.keys(spec);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const type = spec[name];
    if (!type) {
      const valid = known.length ? known.map((k) => `--${k}`).join(', ') : 'none';
      throw new UsageError(`unknown flag '--${name}'; valid flags here: ${valid}`);
    }
    if (type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`flag '--${name}' takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      throw new UsageError(`flag '--${name}' needs a value`);
    if (type === 'int') {
      if (!/^-?\d+$/.test(value))
        throw new UsageError(`flag '--${name}' needs a whole number, got '${value}'`);
      flags[name] = Number(value);
    } else flags[name] = value;
  }
  return { positionals, flags };
}

/** A choice from a list, or a UsageError naming the valid ones. */
export function choose<T extends string>(what: string, value: string, valid: readonly T[]): T {
  if ((valid as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`unknown ${what} '${value}'; valid ${what}s: ${valid.join(', ')}`);
}
