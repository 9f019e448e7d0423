// The planner exported to ONNX and run in onnxruntime-web (wasm, Node) gives the logits of
// our own forward (the CPU reference) within 1e-4 at every position, on weights drawn large
// enough that every layer matters, with elements, padding and empty slots in the input.
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { plannerConfigOf } from '../../src/rl/config';
import { captureCheckpoint } from '../../src/rl/model/checkpoint';
import { DEFAULT_OPTIMIZER, Planner } from '../../src/rl/model/planner';
import type { PlannerBatch } from '../../src/rl/model/encode';
import { exportPlannerOnnx, PLANNER_ONNX_FORMAT } from '../../src/rl/onnx/planner-onnx';
import { Rng } from '../../src/rng';
import { frozenVocab, tinySettings } from './train-fixtures';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const vocab = frozenVocab();
const config = { ...plannerConfigOf(tinySettings()), L: 2 };
const be = new CpuBackend();
const planner = new Planner(be, config, vocab.size, 1);
const d = planner.dims;
let session: ort.InferenceSession;
let bytes: Uint8Array;

/** Weights N(0, 0.3) (gains 1 + N(0, 0.1)): far from the near-identity start. */
function randomWeights(rng: Rng): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const e of planner.layout.entries) {
    const gain = /ln.w$|lnfw$/.test(e.name);
    out.set(
      e.name,
      Float32Array.from({ length: e.size }, () => (gain ? 1 : 0) + rng.normal(0, gain ? 0.1 : 0.3)),
    );
  }
  return out;
}

/** A batch of one: a prompt with element positions, a forecast, padding at the end. */
function randomBatch(rng: Rng): PlannerBatch {
  const { T, E, W, BF, CROP, V, P } = d;
  const tokens = Int32Array.from({ length: T }, (_, t) =>
    t < T - 3 ? Math.floor(rng.next() * V) : vocab.pad,
  );
  const slots = Int32Array.from({ length: T }, (_, t) =>
    t < P && t % 3 === 1 ? Math.floor(rng.next() * E) : E,
  );
  const textWeights = new Float32Array(E * W);
  for (let e = 0; e < E; e++) {
    const n = 1 + Math.floor(rng.next() * W);
    for (let i = 0; i < n; i++) textWeights[e * W + i] = 1 / n;
  }
  return {
    tokens,
    targets: new Int32Array(T).fill(-1),
    slots,
    textIds: Int32Array.from({ length: E * W }, () => Math.floor(rng.next() * V)),
    textWeights,
    box: Float32Array.from({ length: E * BF }, () => rng.next()),
    crop: Float32Array.from({ length: E * CROP }, () => rng.next()),
    validTargets: 1,
    truncated: 0,
  };
}

beforeAll(async () => {
  planner.writeRegion('params', randomWeights(new Rng(7)));
  bytes = exportPlannerOnnx(await captureCheckpoint(planner, vocab, DEFAULT_OPTIMIZER));
  session = await ort.InferenceSession.create(bytes);
});

afterAll(() => {
  planner.release();
});

describe('planner ONNX export', () => {
  it('declares its inputs, the logits output and its format', () => {
    expect(session.inputNames).toEqual([
      'tokens',
      'slots',
      'text_ids',
      'text_weights',
      'box',
      'crop',
    ]);
    expect(session.outputNames).toEqual(['logits']);
    expect(new TextDecoder().decode(bytes)).toContain(PLANNER_ONNX_FORMAT);
  });

  it('onnxruntime-web gives our forward’s logits within 1e-4', async () => {
    const { T, E, W, BF, CROP, V } = d;
    let worst = 0;
    let spread = 0;
    for (const seed of [1, 2, 3]) {
      const batch = randomBatch(new Rng(seed));
      planner.writeBatch(batch);
      planner.forward();
      const ours = (await be.read(planner.acts.logits)) as Float32Array;
      const out = await session.run({
        tokens: new ort.Tensor('int32', batch.tokens, [T]),
        slots: new ort.Tensor('int32', batch.slots, [T]),
        text_ids: new ort.Tensor('int32', batch.textIds, [E, W]),
        text_weights: new ort.Tensor('float32', batch.textWeights, [E, W]),
        box: new ort.Tensor('float32', batch.box, [E, BF]),
        crop: new ort.Tensor('float32', batch.crop, [E, CROP]),
      });
      const theirs = out.logits.data as Float32Array;
      expect(theirs.length).toBe(T * V);
      for (let i = 0; i < theirs.length; i++) {
        worst = Math.max(worst, Math.abs(theirs[i] - ours[i]));
        spread = Math.max(spread, Math.abs(ours[i]));
      }
    }
    // The logits are far from zero, so the bound says something.
    console.log(
      `planner ONNX parity: max abs error ${worst.toExponential(2)}, max abs logit ${spread.toFixed(2)}`,
    );
    expect(spread).toBeGreaterThan(1);
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});
