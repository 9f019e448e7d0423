// An exported planner read back and played: readPlannerOnnx accepts the exporter's file and
// refuses, naming why, bytes that are not ONNX, an ONNX model that is not a planner, another
// vocabulary and a shape its config does not imply; the ONNX forecaster (full-sequence graph
// opened in onnxruntime-web by openOnnxPlanner, one run per token) writes the same forecasts as our KV-cache sampler
// for the same weights, greedy and sampled with the same seed.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { onnx } from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Episode, getTemplate, render } from '../../src/envs';
import { CpuBackend } from '../../src/kernels/cpu';
import { plannerForecaster, type ForecastInput } from '../../src/rl/inspect';
import { plannerConfigOf } from '../../src/rl/config';
import { Vocab } from '../../src/text/vocab';
import { captureCheckpoint } from '../../src/rl/model/checkpoint';
import { DEFAULT_OPTIMIZER, Planner } from '../../src/rl/model/planner';
import { exportPlannerOnnx } from '../../src/rl/onnx/planner-onnx';
import { readPlannerOnnx } from '../../src/rl/onnx/planner-onnx-file';
import { onnxForecaster } from '../../src/rl/onnx/planner-onnx-forecaster';
import { openOnnxPlanner, type OnnxPlanner } from '../../src/rl/onnx/planner-onnx-session';
import { Rng } from '../../src/rng';
import { frozenVocab, tinySettings } from './train-fixtures';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const vocab = frozenVocab();
const config = { ...plannerConfigOf(tinySettings()), L: 2 };
const be = new CpuBackend();
const planner = new Planner(be, config, vocab.size, 1);
let bytes: Uint8Array;

beforeAll(async () => {
  // Weights far from the near-identity start, so every layer shapes the forecast.
  const rng = new Rng(11);
  const weights = new Map<string, Float32Array>();
  for (const e of planner.layout.entries) {
    const gain = /ln.w$|lnfw$/.test(e.name);
    weights.set(
      e.name,
      Float32Array.from({ length: e.size }, () => (gain ? 1 : 0) + rng.normal(0, gain ? 0.1 : 0.3)),
    );
  }
  planner.writeRegion('params', weights);
  bytes = exportPlannerOnnx(await captureCheckpoint(planner, vocab, DEFAULT_OPTIMIZER));
});

afterAll(() => {
  planner.release();
});

/** The model with one field of its ModelProto changed, re-encoded. */
function edited(change: (m: onnx.ModelProto) => void): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  change(model);
  return onnx.ModelProto.encode(model).finish();
}

function setMeta(m: onnx.ModelProto, key: string, value: string): void {
  m.metadataProps = m.metadataProps.map((p) => (p.key === key ? { key, value } : p)) as never;
}

describe('reading a planner ONNX file', () => {
  it('accepts the exported file with its config, shape and parameter count', () => {
    const file = readPlannerOnnx(bytes, vocab);
    expect(file.config).toEqual(planner.config);
    expect(file.dims).toEqual(planner.dims);
    expect(file.params).toBeGreaterThanOrEqual(planner.layout.size);
  });

  it('refuses bytes that are not an ONNX model', () => {
    const text = new TextEncoder().encode('{"format":"tracelab-run"}');
    expect(() => readPlannerOnnx(text, vocab, 'notes.onnx')).toThrow(
      /^notes\.onnx: is not an ONNX model/,
    );
    expect(() => readPlannerOnnx(new Uint8Array(0), vocab)).toThrow(/is not an ONNX model/);
  });

  it('refuses an ONNX model that is not a TraceLab planner (the frozen grounder)', () => {
    const grounder = new Uint8Array(readFileSync('public/models/grounder.onnx'));
    expect(() => readPlannerOnnx(grounder, vocab, 'grounder.onnx')).toThrow(
      /grounder\.onnx: is an ONNX model but not a TraceLab planner/,
    );
  });

  it('refuses a planner made with another vocabulary, naming the difference', () => {
    const other = new Vocab(vocab.tokens.slice(0, -1));
    const file = edited((m) => setMeta(m, 'vocab', JSON.stringify(other.toJSON())));
    expect(() => readPlannerOnnx(file, vocab)).toThrow(/was made with another vocabulary.*lacks/);
  });

  it('refuses a graph whose inputs are not the shape its config implies', () => {
    const file = edited((m) => {
      m.graph!.input![0].type!.tensorType!.shape!.dim![0].dimValue = planner.dims.T + 1;
    });
    expect(() => readPlannerOnnx(file, vocab)).toThrow(
      new RegExp(
        `does not have the shape its config implies: inputs tokens int32 \\[${planner.dims.T + 1}\\]`,
      ),
    );
  });

  it('refuses a config that is not valid, naming the field', () => {
    const file = edited((m) => setMeta(m, 'config', JSON.stringify({ ...config, NH: 0 })));
    expect(() => readPlannerOnnx(file, vocab)).toThrow(/has a bad config.*NH/);
  });
});

describe('playing with the ONNX planner', () => {
  let model: OnnxPlanner;
  let inputs: ForecastInput[];

  beforeAll(async () => {
    model = await openOnnxPlanner(ort, bytes, vocab, 'planner.onnx');
    inputs = ['settings.wifi', 'mail.compose', 'shop.add-to-cart'].map((id, i) => {
      const ep = new Episode(getTemplate(id), i + 1);
      const obs = ep.reset();
      return {
        obs,
        pixels: render(obs).pixels,
        instruction: ep.instruction,
        executed: [],
        H: config.horizon,
      };
    });
  });

  afterAll(async () => {
    await model.release();
  });

  for (const sampling of [
    { temperature: 0, topP: 1 },
    { temperature: 1, topP: 0.9 },
  ]) {
    it(`writes our sampler's forecasts (temperature ${sampling.temperature})`, async () => {
      const ours = plannerForecaster(planner, vocab, sampling, new Rng(5));
      const theirs = onnxForecaster(model, sampling, new Rng(5));
      let tokens = 0;
      for (const input of inputs) {
        const a = await ours.forecast(input);
        const b = await theirs(input);
        expect(b.ids).toEqual(a.ids);
        expect(b.text).toBe(a.text);
        tokens += a.ids!.length;
      }
      ours.release();
      // Forecasts of more than a token or two each, so the decode loop is exercised.
      expect(tokens).toBeGreaterThan(3 * inputs.length);
    });
  }
});
