// A Forecaster over the planner's full-sequence ONNX graph (planner-onnx.ts), for playing
// episodes with an imported planner. The graph has no KV cache, so every forecast token runs
// it once over the whole sequence and reads the logits of the last written position:
//
//   tokens = prompt, pad…  → logits[P−1] → token 0 written at P → logits[P] → token 1 … <eos>
//
// Tokens are drawn by the CPU reference of the sampler's kernel with the uniforms drawn as the
// KV-cache Sampler draws them for one row (F up front), so the same weights, settings and
// seed give the same forecast as our own sampler, up to float rounding of the logits.
import { sampleTokens } from '../../kernels/cpu/sample';
import type { Rng } from '../../rng';
import { forecastOf } from '../agent/forecaster';
import type { Forecaster } from '../inspect/receding';
import type { Vocab } from '../../text/vocab';
import type { ModelDims, PlannerConfig } from '../model/config';
import { encodePrompt, packBatch, type PlannerBatch } from '../model/encode';
import type { SampleSettings } from '../model/sample';

/** Runs the graph on one packed sequence (B = 1); resolves to its (T, V) logits. */
export type LogitsRunner = (batch: PlannerBatch) => Promise<Float32Array>;

export interface OnnxPlannerModel {
  run: LogitsRunner;
  vocab: Vocab;
  config: PlannerConfig;
  dims: ModelDims;
}

/** Forecasts with the graph behind `model.run`; `rng` feeds the sampler's uniforms. */
export function onnxForecaster(
  model: OnnxPlannerModel,
  sampling: SampleSettings,
  rng: Rng,
): Forecaster {
  const { run, vocab, config, dims } = model;
  const { P, F, T, V } = dims;
  const id = new Int32Array(1);
  const logp = new Float32Array(1);
  return async (input) => {
    const prompt = encodePrompt(vocab, config, dims, input);
    const batch = packBatch(dims, vocab, [{ prompt, forecast: [] }]);
    const uniforms = Float32Array.from({ length: F }, () => rng.next());
    const ids: number[] = [];
    for (let j = 0; j < F; j++) {
      const logits = await run(batch);
      if (logits.length !== T * V) {
        throw new Error(
          `ONNX planner: logits hold ${logits.length} values, expected T·V = ${T * V}`,
        );
      }
      const row = logits.subarray((P - 1 + j) * V, (P + j) * V);
      sampleTokens(id, logp, row, uniforms.subarray(j, j + 1), { B: 1, V, ...sampling });
      ids.push(id[0]);
      if (id[0] === vocab.eos) break;
      if (P + j < T) batch.tokens[P + j] = id[0];
    }
    return forecastOf(vocab, ids, input.H, config.horizon, prompt.labels);
  };
}
