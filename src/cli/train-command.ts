// `npm run train` as runTrain(argv, io) for testing; the entry point is train.ts.
//
//   train --stage 0|1|2 --out <dir> [--config <file.json>] [--preset <name>] [--seed <n>]
//         [--backend auto|webgpu|wasm|cpu] [--updates N] [--init <checkpoint>] [--resume <dir>]
//         [--vocab <file>] [--rebuild-vocab] [--force] [--quiet]
//   train --upgrade-checkpoint <old.bin> <new.bin>   (a version-1 checkpoint → checksummed)
//
// Writes <dir>/settings.json, <dir>/metrics.jsonl (one UpdateMetrics per line; NaN is null),
// <dir>/evaluation.json (held-out metrics before and after), <dir>/start.bin (the weights at
// update 0), <dir>/checkpoint-<update>.bin every run.checkpointEvery updates and
// <dir>/checkpoint.bin (the latest, also written at the start). A fresh run refuses a
// non-empty folder unless --force, and writes nothing before every check has passed. Exit codes: 0 done, 1 failed while training, 2 bad usage,
// bad settings or a resume that does not match (the message names the flag or the setting).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Backend } from '../kernels/backend';
import {
  fixedDecision,
  pickFastest,
  type BackendCandidate,
  type BackendDecision,
} from '../kernels/choice';
import { CpuBackend } from '../kernels/cpu';
import {
  describeValue,
  plannerConfigOf,
  SettingsError,
  validateSettings,
  type TrainSettings,
} from '../rl/config/schema';
import { plannerStepProbe } from '../rl/model/step-probe';
import { DEFAULT_VOCAB_PATH } from '../rl/data/vocab-file';
import { loadVocabFile, rebuildVocabFile } from '../rl/data/vocab-node';
import type { Vocab } from '../text/vocab';
import { appendsTo } from '../rl/model/extend-vocab';
import type { Stage, UpdateMetrics } from '../rl/metrics';
import { CheckpointError, encodeCheckpoint, type CheckpointState } from '../rl/model/checkpoint';
import { loadCheckpointFile, upgradeCheckpointFile } from '../rl/model/checkpoint-node';
import { isStage, STAGE, STAGES, stageUpdates } from '../rl/stage-list';
import { stageDefinition, StageUnavailableError } from '../rl/stages';
import {
  assertInitFits,
  assertSameSettings,
  ENCODING_FIELDS,
  runMetaOf,
  train,
  type CheckpointKind,
} from '../rl/trainer';
import { parseArgs, UsageError, wantsHelp, type FlagType } from './args';
import { commandLineWasmBackend } from './wasm-backend';
import { truncateMetricsFile } from './metrics-file';
import { checkFreshFolder, clearRunFiles, resumeCheckpointPath } from './run-folder';

const FLAGS: Record<string, FlagType> = {
  stage: 'int',
  config: 'string',
  preset: 'string',
  seed: 'int',
  out: 'string',
  resume: 'string',
  backend: 'string',
  init: 'string',
  updates: 'int',
  vocab: 'string',
  'rebuild-vocab': 'boolean',
  quiet: 'boolean',
  'upgrade-checkpoint': 'string',
  force: 'boolean',
};

export interface TrainIo {
  out(line: string): void;
  err(line: string): void;
  /** Draw a cli-progress bar on stderr (a terminal); otherwise log a line every tenth. */
  progressBar: boolean;
  /** Makes the backend (tests inject one; default: CPU or Dawn WebGPU). */
  backend?: (kind: TrainSettings['run']['backend']) => Promise<Backend>;
}

const STDIO: TrainIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  progressBar: Boolean(process.stderr.isTTY),
};

class SettingsUsageError extends UsageError {}

const nodeWebGpu: BackendCandidate = {
  kind: 'webgpu',
  create: async () => (await import('../kernels/node')).createNodeBackend(),
};
const wasmCandidate: BackendCandidate = {
  kind: 'wasm',
  create: () => commandLineWasmBackend(),
};

/** The settings' backend; 'auto' times a planner step on wasm and on Dawn and keeps the faster. */
async function defaultBackend(
  settings: TrainSettings,
  vocabSize: number,
): Promise<{ be: Backend; decision: BackendDecision }> {
  const setting = settings.run.backend;
  if (setting === 'auto') {
    const probe = plannerStepProbe(plannerConfigOf(settings), vocabSize);
    return pickFastest([wasmCandidate, nodeWebGpu], probe);
  }
  const be =
    setting === 'cpu'
      ? new CpuBackend()
      : setting === 'wasm'
        ? await wasmCandidate.create()
        : await nodeWebGpu.create();
  return { be, decision: fixedDecision(setting, be) };
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} '${path}': ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} '${path}' is not JSON: ${(e as Error).message}`);
  }
}

/** Settings from the config file / preset, then --seed and --backend, validated. */
function settingsFrom(
  flags: Record<string, string | number | boolean>,
  base: unknown,
  source: string,
): TrainSettings {
  if (base === null || typeof base !== 'object' || Array.isArray(base))
    throw new SettingsUsageError(
      `invalid settings in ${source}: must be a JSON object of setting groups (e.g. {"run": {"seed": 1}}), got ${describeValue(base)}`,
    );
  const input = { ...(base as Record<string, unknown>) };
  if (flags.preset !== undefined) input.preset = flags.preset;
  // --seed and --backend join the file's `run` group only when that group is an object; any
  // other value is left for validateSettings to name.
  const run = input.run;
  if (flags.seed !== undefined || flags.backend !== undefined) {
    if (run === undefined || (run !== null && typeof run === 'object' && !Array.isArray(run))) {
      input.run = {
        ...(run as Record<string, unknown> | undefined),
        ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
        ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
      };
    }
  }
  try {
    return validateSettings(input);
  } catch (e) {
    if (e instanceof SettingsError)
      throw new SettingsUsageError(`invalid settings in ${source}: ${e.message}`);
    throw e;
  }
}

function atomicWrite(path: string, data: Uint8Array | string): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/** JSON with NaN and ±Infinity as null (JSON has no such numbers). */
function jsonLine(m: UpdateMetrics): string {
  return JSON.stringify(m, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

export const TRAIN_USAGE = [
  'usage: train --stage 0|1|2 --out <dir> [--config <file.json>] [--preset <name>] [--seed N]',
  '             [--backend auto|webgpu|wasm|cpu] [--updates N] [--init <checkpoint>]',
  '             [--resume <dir>] [--vocab <file>] [--rebuild-vocab] [--force] [--quiet]',
  '       train --upgrade-checkpoint <old.bin> <new.bin>',
].join('\n');

export async function runTrain(argv: readonly string[], io: TrainIo = STDIO): Promise<number> {
  if (wantsHelp(argv)) {
    io.out(TRAIN_USAGE);
    return 0;
  }
  try {
    return await trainCommand(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`train: ${e.message}`);
      if (!(e instanceof SettingsUsageError)) io.err(TRAIN_USAGE);
      return 2;
    }
    if (e instanceof StageUnavailableError || e instanceof CheckpointError) {
      io.err(`train: ${e.message}`);
      return 2;
    }
    io.err(`train: ${(e as Error).message}`);
    return 1;
  }
}

async function trainCommand(argv: readonly string[], io: TrainIo): Promise<number> {
  const { positionals, flags } = parseArgs(argv, FLAGS);
  if (flags['upgrade-checkpoint'] !== undefined) {
    if (positionals.length !== 1)
      throw new UsageError('--upgrade-checkpoint IN OUT needs exactly one output path after IN');
    const state = await upgradeCheckpointFile(
      flags['upgrade-checkpoint'] as string,
      positionals[0],
    );
    io.out(`checkpoint upgraded (step ${state.step}, checksummed) → ${positionals[0]}`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const vocabPath = (flags.vocab as string | undefined) ?? DEFAULT_VOCAB_PATH;
  if (flags['rebuild-vocab']) {
    const v = rebuildVocabFile(vocabPath);
    io.out(`vocabulary rebuilt: ${v.size} tokens, ${v.fingerprint()} → ${vocabPath}`);
    if (flags.out === undefined && flags.resume === undefined) return 0;
  }
  const resumeDir = flags.resume as string | undefined;
  const outDir = (flags.out as string | undefined) ?? resumeDir;
  if (!outDir) throw new UsageError('needs --out <dir> (or --resume <dir>)');
  if (flags.stage === undefined && !resumeDir) throw new UsageError('needs --stage 0|1|2');
  if (resumeDir && flags.init !== undefined)
    throw new UsageError('--init and --resume exclude each other');

  // Settings, stage and vocabulary: from the run being resumed, or from the flags. Every
  // check happens here, before anything is written.
  let settings: TrainSettings;
  let stage: Stage;
  let vocab: Vocab;
  let updates: number;
  let resume: CheckpointState | undefined;
  let start: CheckpointState | undefined;
  let init: CheckpointState | undefined;
  const force = Boolean(flags.force);
  if (resumeDir) {
    resume = await loadCheckpointFile(resumeCheckpointPath(resumeDir));
    start = await loadCheckpointFile(join(resumeDir, 'start.bin'));
    const meta = runMetaOf(resume);
    const configPath = flags.config as string | undefined;
    const saved = configPath !== undefined ? readJson(configPath, 'config') : meta.settings;
    settings = settingsFrom(flags, saved, configPath ?? `the run ${resumeDir}`);
    stage = meta.stage;
    if (flags.stage !== undefined && flags.stage !== stage)
      throw new UsageError(`--stage ${flags.stage} differs from the resumed run's stage ${stage}`);
    assertSameSettings(meta.settings, settings);
    vocab = resume.vocab;
    if (flags.updates === undefined && meta.update >= meta.updates)
      throw new UsageError(
        `run '${resumeDir}' is already finished (update ${meta.update} of ${meta.updates}); nothing to do. Pass --updates N (above ${meta.update}) to train it further`,
      );
    updates = (flags.updates as number | undefined) ?? meta.updates;
    if (updates < meta.update)
      throw new UsageError(
        `--updates ${updates} is below the run's update ${meta.update}; a resume only goes forward`,
      );
  } else {
    const configPath = flags.config as string | undefined;
    const base = configPath !== undefined ? readJson(configPath, 'config') : {};
    settings = settingsFrom(flags, base, configPath ?? 'the flags');
    const s = flags.stage as number;
    if (!isStage(s)) throw new UsageError(`--stage must be one of ${STAGES.join(', ')}, got ${s}`);
    stage = s;
    if (flags.init !== undefined) {
      init = await loadCheckpointFile(flags.init as string);
      const config = plannerConfigOf(settings);
      assertInitFits(init, config, { encodingMayDiffer: stage === STAGE.sft });
      for (const key of ENCODING_FIELDS)
        if (init.config[key] !== config[key])
          io.out(
            `encoding: model.${key} is ${init.config[key]} in the init checkpoint, ${config[key]} now; stage 0 teaches it`,
          );
      // Stage 0 teaches tokens appended to the vocabulary since the checkpoint was made
      // (label marks): it trains with the build's vocabulary, the checkpoint extended to it.
      const build = stage === STAGE.sft ? loadVocabFile(vocabPath) : null;
      vocab = build && appendsTo(build, init.vocab) ? build : init.vocab;
      if (vocab !== init.vocab)
        io.out(
          `vocabulary: the init checkpoint's ${init.vocab.size} tokens extended to ${vocab.size} (${vocabPath}); the new rows start fresh`,
        );
    } else vocab = loadVocabFile(vocabPath);
    updates = (flags.updates as number | undefined) ?? stageUpdates(settings, stage);
    checkFreshFolder(outDir, force);
  }
  const def = stageDefinition(stage);
  if (updates < 0) throw new UsageError(`--updates must be ≥ 0, got ${updates}`);

  // A fresh run writes its files with its start checkpoint (see `save`): a run stopped
  // before it leaves nothing behind. A resume keeps the metrics up to its checkpoint.
  const metricsPath = join(outDir, 'metrics.jsonl');
  let history: { loss: number; gradNorm: number }[] | undefined;
  if (resume) {
    const { kept, note } = truncateMetricsFile(metricsPath, runMetaOf(resume).update);
    if (note) io.err(`train: ${note}`);
    // JSON wrote NaN as null: those count as missing for the divergence guard.
    const num = (x: unknown) => (typeof x === 'number' ? x : NaN);
    history = kept.map((m) => ({ loss: num(m.loss), gradNorm: num(m.gradNorm) }));
  }
  // The run's first file is its start checkpoint (so a folder with any run file can resume);
  // settings.json and an empty metrics.jsonl follow, and a resume restores a missing one.
  const settingsPath = join(outDir, 'settings.json');
  const writeRunFiles = () => {
    if (!existsSync(settingsPath))
      atomicWrite(settingsPath, JSON.stringify(settings, null, 2) + '\n');
    if (!existsSync(metricsPath)) atomicWrite(metricsPath, '');
  };
  if (resume) writeRunFiles();

  const { be, decision } = io.backend
    ? await io.backend(settings.run.backend).then((be) => ({
        be,
        decision: fixedDecision(settings.run.backend, be, 'injected by the caller'),
      }))
    : await defaultBackend(settings, vocab.size);
  // Which backend runs and why: written with the run's other files (a fresh folder exists
  // only from its start checkpoint on).
  const writeBackendFile = () =>
    atomicWrite(join(outDir, 'backend.json'), JSON.stringify(decision, null, 2) + '\n');
  if (resume) writeBackendFile();
  io.out(`backend: ${be.kind} (${decision.reason})`);
  const from = resume ? runMetaOf(resume).update : 0;
  io.out(
    `stage ${stage} (${def.name}) on ${be.description}: updates ${from + 1}..${updates}, seed ${settings.run.seed}, vocabulary ${vocab.size} tokens → ${outDir}`,
  );
  const quiet = Boolean(flags.quiet);
  const bar =
    io.progressBar && !quiet
      ? new SingleBar({
          format:
            'stage {stage} |{bar}| {value}/{total} | ETA {eta_formatted} | loss {loss} | reward {reward}',
          hideCursor: true,
          etaBuffer: 20,
        })
      : null;
  bar?.start(updates, from, { stage, loss: '-', reward: '-' });
  const logEvery = Math.max(1, Math.round(updates / 10));
  const evaluationPath = join(outDir, 'evaluation.json');
  const evaluations = (
    resume && existsSync(evaluationPath) ? readJson(evaluationPath, 'evaluation') : {}
  ) as Record<string, unknown>;
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '-');
  const save = async (kind: CheckpointKind, update: number, state: CheckpointState) => {
    const bytes = encodeCheckpoint(state);
    if (kind === 'start') {
      if (force) clearRunFiles(outDir);
      mkdirSync(outDir, { recursive: true });
      atomicWrite(join(outDir, 'start.bin'), bytes);
    }
    if (kind === 'periodic') atomicWrite(join(outDir, `checkpoint-${update}.bin`), bytes);
    atomicWrite(join(outDir, 'checkpoint.bin'), bytes);
    if (kind === 'start') {
      writeRunFiles();
      writeBackendFile();
    }
  };
  try {
    const result = await train({
      be,
      settings,
      stage,
      vocab,
      updates,
      init,
      resume,
      start,
      history,
      evaluateAtStart: true, // at update 0 only, also when resuming from the start checkpoint
      saveCheckpoint: save,
      onMetrics: (m) => {
        writeFileSync(metricsPath, jsonLine(m) + '\n', { flag: 'a' });
        bar?.update(m.update, { loss: fmt(m.loss), reward: fmt(m.reward) });
        if (!bar && !quiet && (m.update % logEvery === 0 || m.update === updates))
          io.out(
            `update ${m.update}/${updates}  loss ${fmt(m.loss)}  reward ${fmt(m.reward)}  grad ${fmt(m.gradNorm)}  ${m.updatesPerSecond.toFixed(2)} upd/s`,
          );
      },
      onEvaluation: (update, e) => {
        evaluations[update === 0 ? 'start' : update === updates ? 'final' : `update-${update}`] = e;
        atomicWrite(evaluationPath, JSON.stringify(evaluations, null, 2) + '\n');
      },
    });
    bar?.stop();
    for (const [when, e] of Object.entries({
      before: result.startEvaluation,
      after: result.finalEvaluation,
    }))
      if (e) io.out(`held-out ${when}: ${JSON.stringify(e)}`);
    io.out(`done: ${result.update} updates; checkpoint ${join(outDir, 'checkpoint.bin')}`);
    return 0;
  } finally {
    bar?.stop();
    be.destroy();
  }
}
