// The commands of `npm run world` (entry point: world.ts), as main(argv, io) for testing.
import { writeFileSync } from 'node:fs';
import {
  TEMPLATES,
  applyAction,
  describeElements,
  getTemplate,
  instantiate,
  observe,
  render,
  solve,
} from '../envs';
import {
  SUITE_NAMES,
  SUITES,
  evaluate,
  evaluationInstances,
  getSuite,
  headlineMetrics,
  heuristicAgent,
  randomAgent,
  suitesOfTemplate,
  suiteTemplates,
  type SuiteName,
} from '../envs/suites';
import { templatesFor } from '../envs/tools';
import { SETTINGS_PRESET_NAMES, plannerConfigOf, validateSettings } from '../rl/config/schema';
import { measureCoverage } from '../rl/data/coverage';
import { DEFAULT_VOCAB_PATH } from '../rl/data/vocab-file';
import { loadVocabFile } from '../rl/data/vocab-node';
import { ABLATION_HORIZONS, forecastBudget } from '../rl/model/config';
import { SPLITS } from '../envs/suites/splits';
import { choose, parseArgs, UsageError, type FlagType } from './args';
import { drawMarks, drawSteps, encodePng, upscale } from './png';

const COMMANDS: Record<string, { flags: Record<string, FlagType>; run: (a: Args) => void }> = {
  list: { flags: {}, run: list },
  tasks: { flags: { suite: 'string' }, run: tasks },
  render: {
    flags: { seed: 'int', step: 'int', out: 'string', marks: 'boolean', scale: 'int', next: 'int' },
    run: renderCommand,
  },
  trajectory: { flags: { seed: 'int', elements: 'boolean' }, run: trajectory },
  baselines: { flags: { count: 'int' }, run: baselines },
  coverage: { flags: { count: 'int', preset: 'string', vocab: 'string' }, run: coverage },
};

type Args = ReturnType<typeof parseArgs>;
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const STDIO: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};
let io = STDIO;
const out = (line = '') => io.out(line);

function templateIds(): string[] {
  return [...TEMPLATES.keys()].sort();
}

function templateArg(args: Args, command: string) {
  const id = args.positionals[0];
  if (!id)
    throw new UsageError(`${command} needs a template id; try one of: ${templateIds().join(', ')}`);
  if (args.positionals.length > 1)
    throw new UsageError(`${command} takes one template, got: ${args.positionals.join(' ')}`);
  return getTemplate(choose('template', id, templateIds()));
}

function seedArg(args: Args, command: string): number {
  const seed = args.flags.seed;
  if (seed === undefined) throw new UsageError(`${command} needs --seed N`);
  return seed as number;
}

function noPositionals(args: Args, command: string): void {
  if (args.positionals.length)
    throw new UsageError(`${command} takes no arguments, got: ${args.positionals.join(' ')}`);
}

function list(args: Args): void {
  noPositionals(args, 'list');
  out('| suite | mirrors | kind | size | metrics | templates |');
  out('|---|---|---|---|---|---|');
  for (const name of SUITE_NAMES) {
    const s = SUITES[name];
    const n =
      s.kind === 'tools'
        ? templatesFor(name as 'tools' | 'tools-multihop').length
        : suiteTemplates(name).length;
    const size =
      s.kind === 'offline' ? `≥ ${s.size} steps` : `${evaluationInstances(name).length} tasks`;
    out(`| ${name} | ${s.mirrors} | ${s.kind} | ${size} | ${s.metrics.join(', ')} | ${n} |`);
  }
  out();
  for (const name of SUITE_NAMES) {
    const ids =
      SUITES[name].kind === 'tools'
        ? templatesFor(name as 'tools' | 'tools-multihop').map((t) => `${t.id} (level ${t.level})`)
        : suiteTemplates(name).map((t) => `${t.id} (${t.tags.split})`);
    out(`${name}: ${ids.length ? ids.join(', ') : '(no templates yet)'}`);
  }
}

function tasks(args: Args): void {
  noPositionals(args, 'tasks');
  const suite = args.flags.suite as string | undefined;
  const name = suite === undefined ? undefined : choose<SuiteName>('suite', suite, SUITE_NAMES);
  if (name && getSuite(name).kind === 'tools') {
    out('| template | level |');
    out('|---|---|');
    for (const t of templatesFor(name as 'tools' | 'tools-multihop'))
      out(`| ${t.id} | ${t.level} |`);
    return;
  }
  out('| template | apps | platform | split | category | suites |');
  out('|---|---|---|---|---|---|');
  const list = name ? suiteTemplates(name) : templateIds().map((id) => getTemplate(id));
  for (const t of list) {
    const suites = suitesOfTemplate(t).join(', ');
    out(
      `| ${t.id} | ${t.apps.join(', ')} | ${t.platform ?? 'mobile'} | ${t.tags.split} | ${t.tags.category} | ${suites} |`,
    );
  }
}

/** The world after the first `step` oracle steps, and the reference steps from there. */
function stateAt(id: string, seed: number, step: number) {
  const template = getTemplate(id);
  const task = instantiate(template, seed);
  const solved = solve(template, task.params, task.world);
  if (!solved.ok) throw new Error(`the oracle cannot solve ${id} seed ${seed}: ${solved.reason}`);
  if (step < 0 || step >= solved.steps.length)
    throw new UsageError(`--step must be in 0..${solved.steps.length - 1} for ${id} seed ${seed}`);
  let world = task.world;
  for (const s of solved.steps.slice(0, step)) world = applyAction(world, s.action).world;
  return { task, world, next: solved.steps.slice(step) };
}

function renderCommand(args: Args): void {
  const template = templateArg(args, 'render');
  const seed = seedArg(args, 'render');
  const file = (args.flags.out as string | undefined) ?? `${template.id}-${seed}.png`;
  const scale = (args.flags.scale as number | undefined) ?? (args.flags.marks ? 3 : 1);
  if (scale < 1 || scale > 8) throw new UsageError('--scale must be in 1..8');
  const { task, world, next } = stateAt(template.id, seed, (args.flags.step as number) ?? 0);
  const obs = observe(world);
  const cv = upscale(render(obs), scale);
  if (args.flags.marks) drawMarks(cv, obs, scale);
  const horizon = args.flags.next as number | undefined;
  if (horizon) drawSteps(cv, next.slice(0, horizon), scale);
  writeFileSync(file, encodePng(cv));
  out(`${file}: ${cv.width}x${cv.height}, ${obs.app}/${obs.screen}`);
  out(`instruction: ${task.instruction}`);
  out(`next step: ${next[0].instruction}`);
}

function trajectory(args: Args): void {
  const template = templateArg(args, 'trajectory');
  const seed = seedArg(args, 'trajectory');
  const task = instantiate(template, seed);
  const solved = solve(template, task.params, task.world);
  out(`${template.id} seed ${seed}: ${task.instruction}`);
  let world = task.world;
  solved.steps.forEach((s, k) => {
    const obs = observe(world);
    if (args.flags.elements) out(describeElements(obs));
    const box = s.box ? ` box=(${s.box.x},${s.box.y},${s.box.w},${s.box.h})` : '';
    out(`${String(k + 1).padStart(3)}. [${obs.app}/${obs.screen}] ${s.instruction}${box}`);
    world = applyAction(world, s.action, obs).world;
  });
  if (!solved.ok) throw new Error(`the oracle stopped: ${solved.reason}`);
}

function baselines(args: Args): void {
  noPositionals(args, 'baselines');
  const count = args.flags.count as number | undefined;
  const started = performance.now();
  out('| suite | mirrors | size | agent | metrics |');
  out('|---|---|---|---|---|');
  for (const name of SUITE_NAMES) {
    for (const agent of [randomAgent(0), heuristicAgent()]) {
      const r = evaluate(agent, name, { count, minSteps: count });
      const size = r.kind === 'offline' ? `${r.steps} steps` : `${r.tasks} tasks`;
      const metrics = headlineMetrics(r)
        .map(([label, v]) => `${label} ${(100 * v).toFixed(1)}`)
        .join(' · ');
      out(`| ${name} | ${SUITES[name].mirrors} | ${size} | ${agent.name} | ${metrics} |`);
    }
  }
  out();
  out(`(${((performance.now() - started) / 1000).toFixed(1)} s; metrics in %)`);
}

/**
 * What the planner of a settings preset sees and can write, on the reference: the share of
 * reference targets among the encoded elements, per suite and split, and the share of H-step
 * reference forecasts that fit the forecast budget for each H of the ablation.
 */
function coverage(args: Args): void {
  noPositionals(args, 'coverage');
  const count = (args.flags.count as number | undefined) ?? 60;
  const presetName = (args.flags.preset as string | undefined) ?? 'quick-demo';
  const name = choose('--preset', presetName, SETTINGS_PRESET_NAMES);
  const config = plannerConfigOf(validateSettings({ preset: name }));
  const vocab = loadVocabFile((args.flags.vocab as string | undefined) ?? DEFAULT_VOCAB_PATH);
  const horizons = ABLATION_HORIZONS;
  out(
    `preset ${name}: P=${config.promptLen} E=${config.maxElements} elementWords=${config.elementWords} H=${config.horizon} F=${config.forecastTokens}; ${count} instances per suite and split`,
  );
  out(`forecast budget F(H): ${horizons.map((H) => `${H}→${forecastBudget(H)}`).join(', ')}`);
  out(`| suite | split | targets encoded | ${horizons.map((H) => `fit H=${H}`).join(' | ')} |`);
  out(`|---|---|---|${horizons.map(() => '---|').join('')}`);
  let missing = 0;
  for (const suite of SUITE_NAMES)
    for (const split of SPLITS) {
      const c = measureCoverage(vocab, config, suite, split, count, horizons, forecastBudget);
      if (c.forecasts === 0) continue;
      missing += c.targetSteps - c.targetsEncoded;
      const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)} %`);
      const targets = `${pct(c.targetsEncoded, c.targetSteps)} (${c.targetsEncoded}/${c.targetSteps})`;
      const fits = horizons.map((H) => `${pct(c.fits[H], c.forecasts)} (≤${c.longest[H]})`);
      out(`| ${suite} | ${split} | ${targets} | ${fits.join(' | ')} |`);
    }
  out();
  out(`reference targets not encoded: ${missing}`);
}

/** Run one command; returns the exit code (2 for usage errors). */
export function main(argv: readonly string[], sink: Io = STDIO): number {
  io = sink;
  const [command, ...rest] = argv.filter((a, i) => !(i === 0 && a === '--'));
  try {
    if (!command || command === 'help' || command === '--help') {
      out(`usage: npm run world -- <${Object.keys(COMMANDS).join('|')}> [args]`);
      return command ? 0 : 1;
    }
    const cmd = COMMANDS[choose('command', command, Object.keys(COMMANDS))];
    cmd.run(parseArgs(rest, cmd.flags));
    return 0;
  } catch (e) {
    io.err(`world: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  }
}
