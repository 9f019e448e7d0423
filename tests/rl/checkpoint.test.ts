// Planner checkpoints: save → load round trip, save → load → continue gives bit-identical
// parameters to an uninterrupted run (same backend), and every refusal names what is wrong.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { vocabFrom } from '../../src/rl/lang';
import {
  captureCheckpoint,
  decodeCheckpoint,
  decodeStoredCheckpoint,
  encodeCheckpoint,
  restoreCheckpoint,
  seal,
} from '../../src/rl/model/checkpoint';
import {
  loadCheckpointFile,
  saveCheckpointFile,
  upgradeCheckpointFile,
} from '../../src/rl/model/checkpoint-node';
import { PRESETS } from '../../src/rl/model/config';
import { Planner, type OptimizerSettings } from '../../src/rl/model/planner';
import { Rng } from '../../src/rng';
import { testVocab, worldBatch } from './model-fixtures';

const CONFIG = PRESETS.tiny;
const B = 2;
const OPT: OptimizerSettings = { lr: 2e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01 };

function newPlanner(be = new CpuBackend()): Planner {
  return new Planner(be, CONFIG, testVocab().size, B);
}

/** A planner after `steps` SFT steps on two alternating batches. */
function trained(steps: number, planner = newPlanner(), from = 0): Planner {
  const batches = [worldBatch(CONFIG, B, 0), worldBatch(CONFIG, B, 10)];
  if (from === 0) planner.init(new Rng(1));
  for (let s = from; s < from + steps; s++) {
    planner.writeBatch(batches[s % 2]);
    planner.trainStep(OPT, 1);
  }
  return planner;
}

async function checkpointBytes(steps = 3): Promise<Uint8Array> {
  const state = await captureCheckpoint(trained(steps), testVocab(), OPT, {
    rng: [1, 2, 3, 4],
    meta: { stage: 0 },
  });
  return encodeCheckpoint(state);
}

/** The same bytes with the header JSON rewritten by `edit` (data section unchanged). */
function rewriteHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const len = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + len)));
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(16 + padded + bytes.length - 16 - len).fill(0x20);
  out.set(bytes.subarray(0, 16));
  new DataView(out.buffer).setUint32(8, padded, true);
  out.set(json, 16);
  out.set(bytes.subarray(16 + len), 16 + padded);
  return seal(out); // a valid checksum, so the checks behind it are reached
}

describe('planner checkpoints', () => {
  it('round-trip every parameter and moment, the step, settings, rng and metadata', async () => {
    const planner = trained(3);
    const state = await captureCheckpoint(planner, testVocab(), OPT, {
      rng: [9, 8],
      meta: { seed: 4 },
    });
    const back = decodeCheckpoint(encodeCheckpoint(state), { config: CONFIG, vocab: testVocab() });
    expect(back.step).toBe(3);
    expect(back.optimizer).toEqual(OPT);
    expect(back.rng).toEqual([9, 8]);
    expect(back.meta).toEqual({ seed: 4 });
    expect(back.config).toEqual(CONFIG);
    expect(back.vocab.fingerprint()).toBe(testVocab().fingerprint());
    const fresh = newPlanner();
    restoreCheckpoint(fresh, back);
    expect(fresh.step).toBe(3);
    for (const r of ['params', 'm', 'v'] as const) {
      const want = await planner.be.read(planner.flat[r]);
      expect(await fresh.be.read(fresh.flat[r]), r).toEqual(want);
    }
    // The moments are really there (not zeros that would also round-trip).
    expect((await fresh.be.read(fresh.flat.v)).some((x) => x > 0)).toBe(true);
  });

  it('save → load → continue is bit-identical to an uninterrupted run (CPU)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracelab-ckpt-'));
    try {
      const path = join(dir, 'planner.ckpt');
      await saveCheckpointFile(path, await captureCheckpoint(trained(3), testVocab(), OPT));
      const resumed = newPlanner();
      restoreCheckpoint(resumed, await loadCheckpointFile(path, { config: CONFIG }));
      trained(3, resumed, 3);
      const straight = trained(6);
      expect(resumed.step).toBe(6);
      expect(await resumed.be.read(resumed.flat.params)).toEqual(
        await straight.be.read(straight.flat.params),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses bytes that are not a checkpoint, and a wrong format tag or version', async () => {
    const bytes = await checkpointBytes();
    const junk = bytes.slice();
    junk.set(new TextEncoder().encode('PNG\r\n\x1a\n\0'), 0);
    expect(() => decodeCheckpoint(junk)).toThrow(/not a TraceLab planner checkpoint/);
    const tag = rewriteHeader(bytes, (h) => (h.format = 'tracelab-grounder'));
    expect(() => decodeCheckpoint(tag)).toThrow(/format tag "tracelab-grounder"/);
    const version = rewriteHeader(bytes, (h) => (h.version = 3));
    expect(() => decodeCheckpoint(version)).toThrow(/header says version 3, the preamble 2/);
    const preamble = bytes.slice();
    new DataView(preamble.buffer).setUint32(12, 7, true);
    expect(() => decodeCheckpoint(seal(preamble))).toThrow(/version 7, this build reads version 2/);
  });

  it('refuses a config mismatch, naming the field', async () => {
    const bytes = await checkpointBytes();
    expect(() => decodeCheckpoint(bytes, { config: { ...CONFIG, NH: 4 } })).toThrow(
      /config field NH is 2 in the checkpoint, 4 in expected/,
    );
    const bad = rewriteHeader(bytes, (h) => ((h.config as Record<string, unknown>).C = 31));
    expect(() => decodeCheckpoint(bad)).toThrow(/C \(31\) must be divisible by NH/);
    const other = new Planner(new CpuBackend(), { ...CONFIG, L: 1 }, testVocab().size, B);
    expect(() => restoreCheckpoint(other, decodeCheckpoint(bytes))).toThrow(/config field L is 2/);
  });

  it('refuses a vocabulary mismatch and a corrupted vocabulary', async () => {
    const bytes = await checkpointBytes();
    const otherVocab = vocabFrom([], ['Hello', 'World']);
    expect(() => decodeCheckpoint(bytes, { vocab: otherVocab })).toThrow(/vocab mismatch/);
    const tampered = rewriteHeader(bytes, (h) => {
      const v = h.vocab as { tokens: string[] };
      v.tokens[v.tokens.length - 1] = 'Zzzz';
    });
    expect(() => decodeCheckpoint(tampered)).toThrow(
      /vocab fingerprint .* does not match its tokens/,
    );
  });

  it('refuses a tensor with the wrong shape or missing, naming it', async () => {
    const bytes = await checkpointBytes();
    type Entry = { region: string; name: string; shape: number[] };
    const shape = rewriteHeader(bytes, (h) => {
      const e = (h.tensors as Entry[]).find((t) => t.region === 'params' && t.name === 'cropw')!;
      e.shape = [e.shape[1], e.shape[0]];
    });
    expect(() => decodeCheckpoint(shape)).toThrow(/tensor params\/cropw has shape \[32,48\]/);
    const missing = rewriteHeader(bytes, (h) => {
      h.tensors = (h.tensors as Entry[]).filter(
        (t) => !(t.region === 'm' && t.name === 'layers.1.fcw'),
      );
    });
    expect(() => decodeCheckpoint(missing)).toThrow(/tensor m\/layers.1.fcw is missing/);
  });

  it('refuses a non-finite value, naming the tensor', async () => {
    const bytes = await checkpointBytes();
    const view = new DataView(bytes.buffer);
    const len = view.getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + len)));
    const e = header.tensors.find(
      (t: { region: string; name: string }) => t.region === 'v' && t.name === 'layers.0.qkvb',
    );
    const nan = bytes.slice();
    new DataView(nan.buffer).setFloat32(16 + len + (e.offset + 5) * 4, NaN, true);
    expect(() => decodeCheckpoint(seal(nan))).toThrow(
      /tensor v\/layers.0.qkvb holds a non-finite value \(NaN\) at index 5/,
    );
    // Saving refuses too, so a diverged run never writes a poisoned file.
    const state = decodeCheckpoint(bytes);
    state.tensors.params.get('wte')![3] = Infinity;
    expect(() => encodeCheckpoint(state)).toThrow(
      /tensor params\/wte holds a non-finite value \(Infinity\)/,
    );
  });
});

describe('checkpoint checksum', () => {
  /** Byte offset of value `index` of tensor region/name in the data section. */
  function valueOffset(bytes: Uint8Array, region: string, name: string, index: number): number {
    const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + len)));
    const e = header.tensors.find(
      (t: { region: string; name: string }) => t.region === region && t.name === name,
    );
    return 16 + len + (e.offset + index) * 4;
  }

  it('refuses a flipped weight bit, an edited header, junk appended and a truncation, naming the file', async () => {
    const bytes = await checkpointBytes();
    const flip = bytes.slice();
    flip[valueOffset(bytes, 'params', 'wte', 7) + 3] ^= 0x40; // an exponent bit: 0.02 → ~1e37
    const edited = bytes.slice();
    const text = new TextDecoder().decode(edited.subarray(16, 400));
    const at = 16 + text.indexOf('"step":3');
    edited[at + 7] = '9'.charCodeAt(0);
    const appended = new Uint8Array(bytes.length + 8);
    appended.set(bytes);
    for (const damaged of [flip, edited, appended, bytes.subarray(0, bytes.length - 100)]) {
      expect(() => decodeCheckpoint(damaged, { source: 'runs/x/checkpoint.bin' })).toThrow(
        /^checkpoint runs\/x\/checkpoint\.bin: checksum mismatch .*damaged, truncated or edited/,
      );
    }
  });

  it('names the file on load, and a version-1 file is refused until upgraded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracelab-ckpt-'));
    try {
      const bytes = await checkpointBytes();
      // The version-1 layout: no checksum, 0 in the preamble, version 1 in the header.
      const v1 = rewriteHeader(bytes, (h) => (h.version = 1)).slice(0, -32);
      new DataView(v1.buffer).setUint32(12, 0, true);
      const oldPath = join(dir, 'old.bin');
      await writeFile(oldPath, v1);
      await expect(loadCheckpointFile(oldPath)).rejects.toThrow(
        `checkpoint ${oldPath}: version 1 (no checksum), this build reads version 2; convert it with \`npm run train -- --upgrade-checkpoint IN OUT\``,
      );
      const newPath = join(dir, 'new.bin');
      const upgraded = await upgradeCheckpointFile(oldPath, newPath);
      expect(upgraded.step).toBe(3);
      const back = await loadCheckpointFile(newPath);
      expect(back.tensors.params.get('wte')).toEqual(
        decodeCheckpoint(bytes).tensors.params.get('wte'),
      );
      await expect(upgradeCheckpointFile(newPath, join(dir, 'again.bin'))).rejects.toThrow(
        /already version 2: nothing to upgrade/,
      );
      // The browser's own run history still reads its version-1 checkpoints (no file to
      // upgrade there); a damaged version-2 one is refused all the same.
      expect(decodeStoredCheckpoint(v1).step).toBe(3);
      expect(decodeStoredCheckpoint(bytes).step).toBe(3);
      const flipped = bytes.slice();
      flipped[100] ^= 1;
      expect(() => decodeStoredCheckpoint(flipped)).toThrow(/checksum mismatch/);
      await expect(loadCheckpointFile(join(dir, 'missing.bin'))).rejects.toThrow(
        /^checkpoint .*missing\.bin: cannot read \(ENOENT/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
