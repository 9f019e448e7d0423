// A run as one file, to carry it to another browser or machine: its settings, its metrics,
// its latest checkpoint and the start checkpoint of that stage (resume needs both: the start
// is the stage's frozen reference), sealed with a SHA-256 checksum.
//
//   bytes 0..7    'TLRUN001'
//   bytes 8..39   SHA-256 of every byte after it
//   bytes 40..43  header length n (u32, little-endian)
//   bytes 44..    header (UTF-8 JSON, n bytes), then the checkpoints' bytes, in header order
//
// Reading refuses, with the reason, anything that is not such a file, is damaged, or holds
// settings, metrics or checkpoints that do not fit together; nothing is stored before that.
import { validateSettings, type TrainSettings } from '../../rl/config/schema';
import { SCALAR_SERIES, type Stage, type UpdateMetrics } from '../../rl/metrics';
import { isStage, STAGES } from '../../rl/stage-list';
import { decodeCheckpoint } from '../../rl/model/checkpoint';
import { assertSameSettings, runMetaOf } from '../../rl/trainer';
export { RUN_FILE_EXTENSION } from './run-file-name';

const MAGIC = 'TLRUN001';
const HASH_BYTES = 32;
const PREAMBLE = MAGIC.length + HASH_BYTES + 4;
export const RUN_FILE_FORMAT = 'tracelab-run';
export const RUN_FILE_VERSION = 1;

export interface RunFileCheckpoint {
  stage: Stage;
  update: number;
  data: ArrayBuffer;
}

export interface RunFile {
  name: string;
  /** Milliseconds since the epoch, when the run was first created. */
  created: number;
  settings: TrainSettings;
  metrics: UpdateMetrics[];
  /** The newest checkpoint, and the one at update 0 of its stage. */
  latest: RunFileCheckpoint;
  start: RunFileCheckpoint;
}

export class RunFileError extends Error {
  override name = 'RunFileError';
  constructor(message: string) {
    super(`Not imported: ${message}`);
  }
}

interface Header {
  format: string;
  version: number;
  name: string;
  created: number;
  settings: unknown;
  metrics: unknown;
  checkpoints: { role: 'latest' | 'start'; stage: Stage; update: number; bytes: number }[];
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

// JSON has no NaN (stage 0 has no reward): non-finite numbers travel as strings.
const NON_FINITE: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
};
const writeNumber = (_k: string, v: unknown) =>
  typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
const readNumber = (_k: string, v: unknown) =>
  typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v;

export async function encodeRunFile(run: RunFile): Promise<Uint8Array> {
  const checkpoints = [
    { role: 'latest' as const, ...run.latest },
    { role: 'start' as const, ...run.start },
  ];
  const header: Header = {
    format: RUN_FILE_FORMAT,
    version: RUN_FILE_VERSION,
    name: run.name,
    created: run.created,
    settings: run.settings,
    metrics: JSON.parse(JSON.stringify(run.metrics, writeNumber)),
    checkpoints: checkpoints.map((c) => ({
      role: c.role,
      stage: c.stage,
      update: c.update,
      bytes: c.data.byteLength,
    })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header, writeNumber));
  const size = PREAMBLE + json.length + checkpoints.reduce((n, c) => n + c.data.byteLength, 0);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length + HASH_BYTES, json.length, true);
  let at = PREAMBLE;
  out.set(json, at);
  at += json.length;
  for (const c of checkpoints) {
    out.set(new Uint8Array(c.data), at);
    at += c.data.byteLength;
  }
  out.set(await sha256(out.subarray(MAGIC.length + HASH_BYTES)), MAGIC.length);
  return out;
}

/** The run in the file, every part checked; throws a RunFileError saying what is wrong. */
export async function decodeRunFile(input: Uint8Array | ArrayBuffer): Promise<RunFile> {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (bytes.length < PREAMBLE || magic !== MAGIC)
    throw new RunFileError(
      `this is not a TraceLab run file (it should start with '${MAGIC}'; export one from the Runs view)`,
    );
  const stored = bytes.subarray(MAGIC.length, MAGIC.length + HASH_BYTES);
  const actual = await sha256(bytes.subarray(MAGIC.length + HASH_BYTES));
  if (hex(stored) !== hex(actual))
    throw new RunFileError(
      `the file is damaged: its SHA-256 is ${hex(actual).slice(0, 16)}…, the file says ${hex(stored).slice(0, 16)}…`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(MAGIC.length + HASH_BYTES, true);
  if (PREAMBLE + n > bytes.length)
    throw new RunFileError('the header runs past the end of the file');
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder().decode(bytes.subarray(PREAMBLE, PREAMBLE + n)),
      readNumber,
    );
  } catch (e) {
    throw new RunFileError(`the header is not JSON (${e instanceof Error ? e.message : e})`);
  }
  if (header.format !== RUN_FILE_FORMAT || header.version !== RUN_FILE_VERSION)
    throw new RunFileError(
      `format '${header.format}' version ${header.version}; this TraceLab reads '${RUN_FILE_FORMAT}' version ${RUN_FILE_VERSION}`,
    );
  if (typeof header.name !== 'string' || !Number.isFinite(header.created))
    throw new RunFileError('the run has no name or creation time');

  let settings: TrainSettings;
  try {
    settings = validateSettings(header.settings);
  } catch (e) {
    throw new RunFileError(`its settings are refused: ${e instanceof Error ? e.message : e}`);
  }
  const metrics = checkMetrics(header.metrics);

  const parts = new Map<string, RunFileCheckpoint>();
  let at = PREAMBLE + n;
  for (const c of header.checkpoints ?? []) {
    if (!Number.isInteger(c.bytes) || c.bytes <= 0 || at + c.bytes > bytes.length)
      throw new RunFileError(`the ${c.role} checkpoint runs past the end of the file`);
    const data = bytes.slice(at, at + c.bytes).buffer;
    at += c.bytes;
    let meta;
    try {
      meta = runMetaOf(decodeCheckpoint(data));
      assertSameSettings(meta.settings, settings);
    } catch (e) {
      throw new RunFileError(`the ${c.role} checkpoint: ${e instanceof Error ? e.message : e}`);
    }
    if (meta.stage !== c.stage || meta.update !== c.update)
      throw new RunFileError(
        `the ${c.role} checkpoint is stage ${meta.stage} update ${meta.update}, the header says stage ${c.stage} update ${c.update}`,
      );
    parts.set(c.role, { stage: c.stage, update: c.update, data });
  }
  if (at !== bytes.length)
    throw new RunFileError(`${bytes.length - at} unexpected bytes at the end`);
  const latest = parts.get('latest');
  const start = parts.get('start');
  if (!latest || !start) throw new RunFileError('it lacks the latest or the start checkpoint');
  if (start.stage !== latest.stage || start.update !== 0)
    throw new RunFileError(
      `the start checkpoint is stage ${start.stage} update ${start.update}, not update 0 of stage ${latest.stage}`,
    );
  return { name: header.name, created: header.created, settings, metrics, latest, start };
}

/** Every record an UpdateMetrics, in (stage, update) order; names the first that is not. */
function checkMetrics(input: unknown): UpdateMetrics[] {
  if (!Array.isArray(input)) throw new RunFileError('its metrics are not a list');
  let last: { stage: number; update: number } | null = null;
  input.forEach((m: Record<string, unknown>, i) => {
    const where = `metrics record ${i + 1}`;
    if (!m || typeof m !== 'object') throw new RunFileError(`${where} is not an object`);
    if (!isStage(m.stage))
      throw new RunFileError(
        `${where}: stage ${JSON.stringify(m.stage)} is not one of ${STAGES.join(', ')}`,
      );
    if (!Number.isInteger(m.update) || (m.update as number) < 1)
      throw new RunFileError(`${where}: update ${JSON.stringify(m.update)} is not a count from 1`);
    for (const k of [...SCALAR_SERIES, 'elapsed'])
      if (typeof m[k] !== 'number') throw new RunFileError(`${where}: '${k}' is not a number`);
    if (typeof m.rewardComponents !== 'object' || !Array.isArray(m.rewardPerStep))
      throw new RunFileError(`${where}: reward components or per-step rewards are missing`);
    const stage = m.stage as number;
    const update = m.update as number;
    if (last && (stage < last.stage || (stage === last.stage && update <= last.update)))
      throw new RunFileError(`${where} (stage ${stage}, update ${update}) is out of order`);
    last = { stage, update };
  });
  return input as UpdateMetrics[];
}
