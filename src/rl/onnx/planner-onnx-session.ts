// An imported planner ONNX file, checked and opened in onnxruntime-web, as the model an
// onnxForecaster runs. The caller passes the ort module it imported (Node's wasm build, or a
// browser worker's with locally served wasm files), as the frozen grounder's runner does.
import type * as Ort from 'onnxruntime-web';
import type { Vocab } from '../../text/vocab';
import { readPlannerOnnx, PlannerOnnxError, type PlannerOnnxFile } from './planner-onnx-file';
import type { OnnxPlannerModel } from './planner-onnx-forecaster';

export interface OnnxPlanner extends OnnxPlannerModel {
  file: PlannerOnnxFile;
  release(): Promise<void>;
}

/** Checks `bytes` (named `what` in errors), then opens them on onnxruntime's wasm backend. */
export async function openOnnxPlanner(
  ort: typeof Ort,
  bytes: Uint8Array,
  vocab: Vocab,
  what = 'the ONNX file',
): Promise<OnnxPlanner> {
  const file = readPlannerOnnx(bytes, vocab, what);
  const { T, E, W, BF, CROP } = file.dims;
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new PlannerOnnxError(what, `onnxruntime could not load it (${why})`);
  }
  return {
    file,
    vocab,
    config: file.config,
    dims: file.dims,
    async run(b) {
      const out = await session.run({
        tokens: new ort.Tensor('int32', b.tokens, [T]),
        slots: new ort.Tensor('int32', b.slots, [T]),
        text_ids: new ort.Tensor('int32', b.textIds, [E, W]),
        text_weights: new ort.Tensor('float32', b.textWeights, [E, W]),
        box: new ort.Tensor('float32', b.box, [E, BF]),
        crop: new ort.Tensor('float32', b.crop, [E, CROP]),
      });
      return out.logits.data as Float32Array;
    },
    release: () => session.release(),
  };
}
