// The exported grounder in onnxruntime-web (wasm, Node): it loads, declares its inputs and
// outputs, equals our own Backend forward within 1e-4 (probabilities, choice, point) on seeded
// world screens, refuses malformed inputs and corrupt model files with clear errors.
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { Rng } from '../../src/rng';
import { BackendGrounder } from '../../src/grounder/backend-grounder';
import { GROUNDER_CONFIG, grounderDims } from '../../src/grounder/config';
import { groundingScreens } from '../../src/grounder/data';
import { encodeGroundingScreen, type GroundingExample } from '../../src/grounder/examples';
import { screenElements } from '../../src/grounder/features';
import { GrounderModelError, readGrounderFile } from '../../src/grounder/model-file';
import { grounderLayout, initGrounderParams } from '../../src/grounder/model';
import { exportGrounderOnnx, INPUT_NAMES, OUTPUT_NAMES } from '../../src/grounder/onnx-export';
import { createGrounder, GrounderInputError, type OrtGrounder } from '../../src/grounder/runner';
import { loadGrounderBytes } from '../../src/grounder/node';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

// The shipped model carries its own vocabulary (public/models/vocab.json is the planner's).
const vocab = readGrounderFile(loadGrounderBytes()).vocab;
const d = grounderDims(GROUNDER_CONFIG, vocab.size);
// Seeded world screens from a held-out split, with their samples (off-screen ones included).
const screens = groundingScreens({
  split: 'held-out-templates',
  episodes: 3,
  seed: 42,
  vague: true,
});
const examples: GroundingExample[] = screens.flatMap((s) =>
  encodeGroundingScreen(vocab, GROUNDER_CONFIG, d, s),
);

/** A freshly initialised (untrained) model: parity must not depend on training. */
function randomModel(seed: number): Uint8Array {
  const weights = initGrounderParams(grounderLayout(d), new Rng(seed));
  return exportGrounderOnnx(vocab, GROUNDER_CONFIG, d, weights);
}

async function expectParity(g: OrtGrounder, ours: BackendGrounder, xs: GroundingExample[]) {
  for (const x of xs) {
    const a = await g.run(x.screen, x.desc, x.match);
    const b = await ours.forward(x);
    expect(a.probs.length).toBe(x.screen.n + 1);
    for (let i = 0; i < a.probs.length; i++)
      expect(Math.abs(a.probs[i] - b.probs[i]), `${x.description} p[${i}]`).toBeLessThan(1e-4);
    expect(a.choice, x.description).toBe(b.choice);
    expect(Math.abs(a.point[0] - b.point[0])).toBeLessThan(1e-4);
    expect(Math.abs(a.point[1] - b.point[1])).toBeLessThan(1e-4);
  }
}

describe('grounder ONNX export', () => {
  let g: OrtGrounder;
  let shipped: OrtGrounder;
  beforeAll(async () => {
    g = await createGrounder({ backend: 'ort-wasm', model: randomModel(1), ort });
    shipped = await createGrounder({ backend: 'ort-wasm', model: loadGrounderBytes(), ort });
  });
  afterAll(async () => {
    await g.dispose();
    await shipped.dispose();
  });

  it('declares the expected inputs and outputs', () => {
    expect([...g.inputNames].sort()).toEqual([...INPUT_NAMES].sort());
    expect([...g.outputNames].sort()).toEqual([...OUTPUT_NAMES].sort());
    const model = onnx.ModelProto.decode(loadGrounderBytes());
    const ops = new Set(model.graph!.node!.map((n) => n.opType));
    for (const op of ops)
      expect([
        'Gather',
        'MatMul',
        'Add',
        'Mul',
        'Tanh',
        'Concat',
        'Reshape',
        'Softmax',
        'ArgMax',
      ]).toContain(op);
    const input = model.graph!.input!.find((i) => i.name === 'feats')!;
    expect(input.type!.tensorType!.shape!.dim![0].dimParam).toBe('N');
  });

  it('the shipped model is small and carries its vocabulary and config', () => {
    const bytes = loadGrounderBytes();
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    const file = readGrounderFile(bytes);
    expect(file.config).toEqual(GROUNDER_CONFIG);
    expect(file.vocab.size).toBe(file.dims.V);
    expect(file.vocab.role('button')).toBeGreaterThan(0);
  });

  it('equals our own forward within 1e-4 on seeded screens (untrained weights)', async () => {
    expect(examples.length).toBeGreaterThan(20);
    expect(examples.some((x) => x.target < 0)).toBe(true);
    await expectParity(
      g,
      new BackendGrounder(new CpuBackend(), randomModel(1)),
      examples.slice(0, 25),
    );
  });

  it('equals our own forward within 1e-4 on seeded screens (the shipped model)', async () => {
    const ours = new BackendGrounder(new CpuBackend(), loadGrounderBytes());
    await expectParity(
      shipped,
      ours,
      examples.filter((_, i) => i % 3 === 0),
    );
    // The full path too: ground() gives the same element and point both ways.
    for (const s of screens.slice(0, 4)) {
      const screen = {
        width: s.obs.width,
        height: s.obs.height,
        elements: screenElements(s.obs.elements),
      };
      for (const x of s.samples) {
        const a = await shipped.ground(screen, s.pixels, x.description);
        const b = await ours.ground(screen, s.pixels, x.description);
        expect(a.elementId).toBe(b.elementId);
        expect(a.point).toEqual(b.point);
        if (a.point) {
          const el = screen.elements.find((e) => e.id === a.elementId)!;
          expect(a.point.x).toBeGreaterThanOrEqual(el.box.x);
          expect(a.point.x).toBeLessThan(el.box.x + el.box.w);
          expect(a.point.y).toBeGreaterThanOrEqual(el.box.y);
          expect(a.point.y).toBeLessThan(el.box.y + el.box.h);
        }
      }
    }
  });

  it('refuses malformed inputs with a clear error', async () => {
    const x = examples[0];
    const short = { ...x.screen, feats: x.screen.feats.subarray(0, d.BF) };
    await expect(g.run(short, x.desc, x.match)).rejects.toThrow(GrounderInputError);
    await expect(g.run(short, x.desc, x.match)).rejects.toThrow(/feats has \d+ values, expected/);
    await expect(g.run(x.screen, x.desc, new Float32Array(1))).rejects.toThrow(/match/);
    // Straight to the session: a wrong element width is refused by onnxruntime itself.
    const n = x.screen.n;
    const T = ort.Tensor;
    const feeds = {
      text_ids: new T('int32', x.screen.textIds, [n, d.W]),
      text_weights: new T('float32', x.screen.textWeights, [n, d.W]),
      row_ids: new T('int32', x.screen.rowIds, [n, d.RW]),
      row_weights: new T('float32', x.screen.rowWeights, [n, d.RW]),
      role_ids: new T('int32', x.screen.roleIds, [n]),
      feats: new T('float32', x.screen.feats.subarray(0, n * (d.BF - 1)), [n, d.BF - 1]),
      crop: new T('float32', x.screen.crop, [n, d.CROP]),
      match: new T('float32', x.match, [n, d.MF]),
      desc_ids: new T('int32', x.desc.ids, [d.D]),
      desc_weights: new T('float32', x.desc.weights, [d.D]),
    };
    await expect(g.runFeeds(feeds)).rejects.toThrow(/refused the inputs.*feats/s);
    await expect(
      g.ground({ width: 10, height: 10, elements: [] }, new Uint8Array(5), 'x'),
    ).rejects.toThrow(/pixels hold 5 bytes, expected 10×10×3/);
  });

  it('gives a clear error for a corrupt or foreign model file', async () => {
    const good = loadGrounderBytes();
    const load = (model: Uint8Array) => createGrounder({ backend: 'ort-wasm', model, ort });
    await expect(load(new Uint8Array())).rejects.toThrow(/grounder model: the file is empty/);
    await expect(load(good.slice(0, good.length >> 1))).rejects.toThrow(GrounderModelError);
    await expect(load(Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 255))).rejects.toThrow(
      /grounder model: /,
    );
    const foreign = onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 8,
        opsetImport: [{ version: 13 }],
        graph: { name: 'x' },
      }),
    ).finish();
    await expect(load(foreign)).rejects.toThrow(/not a TraceLab grounder/);
    // A valid header but a damaged weight tensor.
    const model = onnx.ModelProto.decode(good);
    model.graph!.initializer = model.graph!.initializer!.filter((t) => t.name !== 'qw');
    await expect(load(onnx.ModelProto.encode(model).finish())).rejects.toThrow(
      /no initializer 'qw'/,
    );
  });
});
