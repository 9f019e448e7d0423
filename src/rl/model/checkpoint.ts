// The planner's checkpoint: ONE binary blob, the same in Node and in the browser (bytes in,
// bytes out; file and IndexedDB I/O live at the edges, e.g. checkpoint-node.ts).
//
//   bytes 0..7    "TRACELAB"
//   bytes 8..11   u32 LE: header length in bytes (H)
//   bytes 12..15  u32 LE: layout version, 2 (version 1 had 0 here and no checksum)
//   16..16+H      header: UTF-8 JSON, space-padded to a multiple of 4 bytes
//   then          f32 LE data: every tensor of every region, packed (no alignment padding)
//   last 32       SHA-256 of every byte before it (header and tensors)
//
// Header: format tag, version, config, vocabulary (tokens and fingerprint), step, optimiser
// settings, optional RNG state and free-form metadata, and the tensor table (region, name,
// shape, offset and size in floats). Decoding verifies the checksum first, then every part,
// and throws a CheckpointError naming the file (when given) and what does not match;
// non-finite values are refused by tensor name. A version-1 file is refused with the command
// that converts it (upgradeCheckpoint, `npm run train -- --upgrade-checkpoint IN OUT`).
import { Vocab, vocabFingerprint, type VocabJSON } from '../../text/vocab';
import { sha256, toHex } from './checkpoint-sha256';
import { modelDims, validateConfig, type PlannerConfig } from './config';
import { paramLayout } from './params';
import type { OptimizerSettings, Planner } from './planner';

export const CHECKPOINT_FORMAT = 'tracelab-planner-checkpoint';
export const CHECKPOINT_VERSION = 2;
const LEGACY_VERSION = 1;
const MAGIC = 'TRACELAB';
const PREAMBLE = 16;
const DIGEST = 32;
export const UPGRADE_COMMAND = 'npm run train -- --upgrade-checkpoint IN OUT';

/** The regions a checkpoint stores: parameters and both AdamW moments (not gradients). */
export const CHECKPOINT_REGIONS = ['params', 'm', 'v'] as const;
export type CheckpointRegion = (typeof CHECKPOINT_REGIONS)[number];

export interface CheckpointState {
  config: PlannerConfig;
  vocab: Vocab;
  /** AdamW updates taken. */
  step: number;
  optimizer: OptimizerSettings;
  /** Per region, per tensor name (paramLayout order), the values. */
  tensors: Record<CheckpointRegion, Map<string, Float32Array>>;
  /** State of a caller's RNG, if it keeps one (opaque numbers). */
  rng?: number[];
  /** Free-form run facts (stage, seed, command line); JSON only. */
  meta?: Record<string, unknown>;
}

/** What the loader must find; anything left out is only checked for consistency. */
export interface CheckpointExpectation {
  config?: PlannerConfig;
  vocab?: Vocab;
  /** Where the bytes came from (a path, a run name), named in every refusal. */
  source?: string;
}

interface TensorEntry {
  region: CheckpointRegion;
  name: string;
  shape: number[];
  /** Floats from the start of the data section. */
  offset: number;
  size: number;
}

interface Header {
  format: string;
  version: number;
  config: PlannerConfig;
  vocab: VocabJSON;
  vocabFingerprint: string;
  step: number;
  optimizer: OptimizerSettings;
  rng?: number[];
  meta?: Record<string, unknown>;
  tensors: TensorEntry[];
}

export class CheckpointError extends Error {
  constructor(
    /** What is wrong, without the source. */
    readonly detail: string,
    readonly source?: string,
  ) {
    super(`checkpoint${source ? ` ${source}` : ''}: ${detail}`);
    this.name = 'CheckpointError';
  }
}

/** The planner's state as a checkpoint (reads parameters and moments back from the device). */
export async function captureCheckpoint(
  planner: Planner,
  vocab: Vocab,
  optimizer: OptimizerSettings,
  extra: { rng?: number[]; meta?: Record<string, unknown> } = {},
): Promise<CheckpointState> {
  if (vocab.size !== planner.dims.V) {
    throw new CheckpointError(
      `vocab has ${vocab.size} tokens, the planner was built for V=${planner.dims.V}`,
    );
  }
  return {
    config: { ...planner.config },
    vocab,
    step: planner.step,
    optimizer: { ...optimizer },
    tensors: {
      params: await planner.readRegion('params'),
      m: await planner.readRegion('m'),
      v: await planner.readRegion('v'),
    },
    ...extra,
  };
}

/** Loads a checkpoint into a planner of the same config and vocabulary size. */
export function restoreCheckpoint(planner: Planner, state: CheckpointState): void {
  compareConfig(state.config, planner.config, 'the planner');
  if (state.vocab.size !== planner.dims.V) {
    throw new CheckpointError(
      `vocab has ${state.vocab.size} tokens, the planner has V=${planner.dims.V}`,
    );
  }
  for (const r of CHECKPOINT_REGIONS) planner.writeRegion(r, state.tensors[r]);
  planner.step = state.step;
}

export function encodeCheckpoint(state: CheckpointState): Uint8Array {
  const config = validateConfig(state.config);
  const layout = paramLayout(modelDims(config, state.vocab.size));
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const region of CHECKPOINT_REGIONS) {
    for (const e of layout.entries) {
      const t = state.tensors[region].get(e.name);
      if (!t || t.length !== e.size) {
        throw new CheckpointError(
          `tensor ${region}/${e.name} has ${t ? t.length : 'no'} values, expected ${e.size}`,
        );
      }
      checkFinite(region, e.name, t);
      entries.push({ region, name: e.name, shape: [...e.shape], offset, size: e.size });
      offset += e.size;
    }
  }
  const header: Header = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config,
    vocab: state.vocab.toJSON(),
    vocabFingerprint: state.vocab.fingerprint(),
    step: state.step,
    optimizer: state.optimizer,
    ...(state.rng ? { rng: state.rng } : {}),
    ...(state.meta ? { meta: state.meta } : {}),
    tensors: entries,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  const bytes = new Uint8Array(PREAMBLE + padded + offset * 4 + DIGEST);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, padded, true);
  view.setUint32(12, CHECKPOINT_VERSION, true);
  bytes.fill(0x20, PREAMBLE, PREAMBLE + padded);
  bytes.set(json, PREAMBLE);
  const data = new Float32Array(bytes.buffer, PREAMBLE + padded, offset);
  for (const e of entries) data.set(state.tensors[e.region].get(e.name)!, e.offset);
  return seal(bytes);
}

/** Writes the SHA-256 of everything before the last 32 bytes into them (returns `bytes`). */
export function seal(bytes: Uint8Array): Uint8Array {
  bytes.set(sha256(bytes.subarray(0, bytes.length - DIGEST)), bytes.length - DIGEST);
  return bytes;
}

/**
 * A version-1 checkpoint (no checksum) rewritten in this format, after the same checks as
 * any load; the explicit upgrade keeps an unverifiable old file from loading silently.
 */
export function upgradeCheckpoint(input: Uint8Array, source?: string): Uint8Array {
  const state = decode(input, {}, true, source);
  return encodeCheckpoint(state);
}

export function decodeCheckpoint(
  input: Uint8Array | ArrayBuffer,
  expect: CheckpointExpectation = {},
): CheckpointState {
  return decode(input, expect, false, expect.source);
}

/**
 * For the browser's own run history only: a version-1 checkpoint that this app stored itself
 * (before checksums) is read with the version-1 checks instead of being refused, since there
 * is no file to run the upgrade command on. Files from outside use decodeCheckpoint.
 */
export function decodeStoredCheckpoint(
  input: Uint8Array | ArrayBuffer,
  expect: CheckpointExpectation = {},
): CheckpointState {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const legacy = bytes.length >= PREAMBLE && view.getUint32(12, true) === 0;
  return decode(bytes, expect, legacy, expect.source);
}

/** Any failure becomes a CheckpointError naming the source: a damaged file never escapes as
 * a RangeError or TypeError from deep inside. */
function decode(
  input: Uint8Array | ArrayBuffer,
  expect: CheckpointExpectation,
  legacy: boolean,
  source: string | undefined,
): CheckpointState {
  try {
    return decodeVerified(
      input instanceof Uint8Array ? input : new Uint8Array(input),
      expect,
      legacy,
    );
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(e.detail, source);
    throw new CheckpointError(`damaged (${(e as Error).message})`, source);
  }
}

function decodeVerified(
  bytes: Uint8Array,
  expect: CheckpointExpectation,
  legacy: boolean,
): CheckpointState {
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (bytes.length < PREAMBLE || magic !== MAGIC) {
    throw new CheckpointError(
      `not a TraceLab planner checkpoint (starts with ${JSON.stringify(magic)}, expected "${MAGIC}")`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const preambleVersion = view.getUint32(12, true);
  const version = preambleVersion === 0 ? LEGACY_VERSION : preambleVersion;
  if (version === LEGACY_VERSION && !legacy) {
    throw new CheckpointError(
      `version 1 (no checksum), this build reads version ${CHECKPOINT_VERSION}; convert it with \`${UPGRADE_COMMAND}\``,
    );
  }
  if (version === CHECKPOINT_VERSION && legacy) {
    throw new CheckpointError(`already version ${CHECKPOINT_VERSION}: nothing to upgrade`);
  }
  if (version !== LEGACY_VERSION && version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      `version ${version}, this build reads version ${CHECKPOINT_VERSION} (a damaged file or a newer build)`,
    );
  }
  const end = legacy ? bytes.length : bytes.length - DIGEST;
  if (!legacy) {
    if (end < PREAMBLE) throw new CheckpointError(`truncated: ${bytes.length} bytes`);
    const stored = toHex(bytes.subarray(end));
    const actual = toHex(sha256(bytes.subarray(0, end)));
    if (stored !== actual) {
      throw new CheckpointError(
        `checksum mismatch (stored SHA-256 ${stored.slice(0, 16)}…, content hashes to ${actual.slice(0, 16)}…): the file is damaged, truncated or edited`,
      );
    }
  }
  const headerLen = view.getUint32(8, true);
  if (PREAMBLE + headerLen > end) {
    throw new CheckpointError(`header of ${headerLen} bytes runs past the end (${end} bytes)`);
  }
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE, PREAMBLE + headerLen)));
  } catch (e) {
    throw new CheckpointError(`header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new CheckpointError('header is not a JSON object');
  }
  if (header.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      `format tag ${shown(header.format)}, expected '${CHECKPOINT_FORMAT}'`,
    );
  }
  if (header.version !== version) {
    throw new CheckpointError(
      `header says version ${shown(header.version)}, the preamble ${version}`,
    );
  }
  if (!Array.isArray(header.tensors)) throw new CheckpointError('header has no tensor table');
  let config: PlannerConfig;
  try {
    config = validateConfig(header.config);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  if (expect.config) compareConfig(config, expect.config, 'expected');

  let vocab: Vocab;
  try {
    vocab = Vocab.fromJSON(header.vocab);
  } catch (e) {
    throw new CheckpointError((e as Error).message);
  }
  const fingerprint = vocabFingerprint(vocab);
  if (fingerprint !== header.vocabFingerprint) {
    throw new CheckpointError(
      `vocab fingerprint ${header.vocabFingerprint} does not match its tokens (${fingerprint}): corrupted`,
    );
  }
  if (expect.vocab && expect.vocab.fingerprint() !== fingerprint) {
    throw new CheckpointError(
      `vocab mismatch: checkpoint has ${fingerprint}, expected ${expect.vocab.fingerprint()}`,
    );
  }
  if (!Number.isInteger(header.step) || header.step < 0) {
    throw new CheckpointError(`step must be a non-negative integer, got ${shown(header.step)}`);
  }
  for (const k of ['lr', 'beta1', 'beta2', 'eps', 'weightDecay'] as const) {
    if (typeof header.optimizer?.[k] !== 'number' || !Number.isFinite(header.optimizer[k])) {
      throw new CheckpointError(
        `optimizer.${k} must be a finite number, got ${shown(header.optimizer?.[k])}`,
      );
    }
  }

  // Tensor table: exactly the layout of this config, in every region.
  const dataStart = PREAMBLE + headerLen;
  const floats = (end - dataStart) / 4;
  if (!Number.isInteger(floats)) {
    throw new CheckpointError(`data section of ${end - dataStart} bytes is not whole f32 values`);
  }
  // Copy so the data is 4-byte aligned whatever the input's byteOffset.
  const data = new Float32Array(bytes.slice(dataStart, end).buffer);
  const layout = paramLayout(modelDims(config, vocab.size));
  const byKey = new Map<string, TensorEntry>();
  for (const e of header.tensors) byKey.set(`${e?.region}/${e?.name}`, e);
  const tensors = {} as Record<CheckpointRegion, Map<string, Float32Array>>;
  for (const region of CHECKPOINT_REGIONS) {
    tensors[region] = new Map();
    for (const want of layout.entries) {
      const key = `${region}/${want.name}`;
      const got = byKey.get(key);
      if (!got) throw new CheckpointError(`tensor ${key} is missing`);
      byKey.delete(key);
      if (JSON.stringify(got.shape) !== JSON.stringify(want.shape) || got.size !== want.size) {
        throw new CheckpointError(
          `tensor ${key} has shape [${got.shape}] (${got.size} values), expected [${want.shape}] (${want.size})`,
        );
      }
      if (!Number.isInteger(got.offset) || got.offset < 0 || got.offset + got.size > floats) {
        throw new CheckpointError(
          `tensor ${key} at ${got.offset}+${got.size} lies outside the data (${floats} values)`,
        );
      }
      const values = data.slice(got.offset, got.offset + got.size);
      checkFinite(region, want.name, values);
      tensors[region].set(want.name, values);
    }
  }
  const extra = [...byKey.keys()];
  if (extra.length > 0) throw new CheckpointError(`unexpected tensors: ${extra.join(', ')}`);
  const stored = CHECKPOINT_REGIONS.length * layout.entries.reduce((n, e) => n + e.size, 0);
  if (floats !== stored) {
    throw new CheckpointError(`data section holds ${floats} values, the tensor table ${stored}`);
  }
  return {
    config,
    vocab,
    step: header.step,
    optimizer: header.optimizer,
    tensors,
    ...(header.rng ? { rng: header.rng } : {}),
    ...(header.meta ? { meta: header.meta } : {}),
  };
}

/** A header value in a message ("missing" rather than undefined). */
function shown(v: unknown): string {
  return v === undefined ? 'missing' : (JSON.stringify(v) ?? String(v));
}

function checkFinite(region: string, name: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new CheckpointError(
        `tensor ${region}/${name} holds a non-finite value (${values[i]}) at index ${i}`,
      );
    }
  }
}

/** Throws naming the first config field that differs. */
function compareConfig(got: PlannerConfig, want: PlannerConfig, what: string): void {
  for (const k of Object.keys(want) as (keyof PlannerConfig)[]) {
    if (got[k] !== want[k]) {
      throw new CheckpointError(
        `config field ${k} is ${got[k]} in the checkpoint, ${want[k]} in ${what}`,
      );
    }
  }
}
