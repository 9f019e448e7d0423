// The planner as an ONNX graph, for running a trained policy outside TraceLab (e.g. in
// onnxruntime-web): one full-sequence forward of one prompt, the same computation as
// src/rl/model/forward.ts, in standard opset-13 ops with the weights as initializers.
//
//   inputs   tokens int32 (T)        input ids (the prompt, then the forecast so far, padded)
//            slots int32 (T)         element-table row per position; E = no element
//            text_ids int32 (E, W)   text_weights (E, W)   box (E, BF)   crop (E, CROP)
//   outputs  logits (T, V)           next-token logits at every position
//
// Attention is causal with a bidirectional prompt prefix of P positions (a constant mask).
// A sampler runs it once per forecast token; the model's config and vocabulary travel in
// the metadata, so the file is the whole policy.
import { onnx } from 'onnx-proto';
import { attrInt, Graph, valueInfo } from '../../grounder/onnx-export';
import { LAYER_NORM_EPS } from '../../kernels/validate';
import type { CheckpointState } from '../model/checkpoint';
import { modelDims, type ModelDims } from '../model/config';
import { paramLayout } from '../model/params';

export const PLANNER_ONNX_FORMAT = 'tracelab-planner/1';
const IR_VERSION = 8;
const OPSET = 13;
const F = onnx.TensorProto.DataType.FLOAT;
const I32 = onnx.TensorProto.DataType.INT32;
/** One graph input or output: name, element type and shape. */
export interface PlannerOnnxValue {
  name: string;
  type: 'int32' | 'float32';
  shape: number[];
}

/**
 * The graph's inputs (in feed order) and its output for a model of dims `d`: one place for
 * the export and for the check of an imported file (planner-onnx-file.ts).
 */
export function plannerOnnxSignature(d: ModelDims): {
  inputs: PlannerOnnxValue[];
  output: PlannerOnnxValue;
} {
  const { T, E, W, BF, CROP, V } = d;
  return {
    inputs: [
      { name: 'tokens', type: 'int32', shape: [T] },
      { name: 'slots', type: 'int32', shape: [T] },
      { name: 'text_ids', type: 'int32', shape: [E, W] },
      { name: 'text_weights', type: 'float32', shape: [E, W] },
      { name: 'box', type: 'float32', shape: [E, BF] },
      { name: 'crop', type: 'float32', shape: [E, CROP] },
    ],
    output: { name: 'logits', type: 'float32', shape: [T, V] },
  };
}

const valueOf = (v: PlannerOnnxValue) => valueInfo(v.name, v.type === 'int32' ? I32 : F, v.shape);

/** Added to masked attention scores: exp underflows to exactly 0, as in the kernels. */
const MASKED = -1e30;

/** (T, T) additive mask: query t sees key t2 when t2 ≤ max(t, P − 1). */
function attentionMask(T: number, P: number): Float32Array {
  const mask = new Float32Array(T * T);
  for (let t = 0; t < T; t++) {
    const last = t < P ? P - 1 : t;
    for (let t2 = last + 1; t2 < T; t2++) mask[t * T + t2] = MASKED;
  }
  return mask;
}

/** x·w + b over the last axis. */
const linear = (g: Graph, x: string, w: string, b: string) => g.matmulAdd(x, w, b);

/** Layer norm over the last axis, written out: (x − mean)/√(var + eps)·w + b. */
function layerNorm(g: Graph, x: string, w: string, b: string): string {
  const axes = [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [-1] }];
  const mean = g.op('ReduceMean', [x], axes);
  const centred = g.op('Sub', [x, mean]);
  const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], axes);
  const rstd = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, 'ln_eps'])])]);
  return g.op('Add', [g.op('Mul', [g.op('Mul', [centred, rstd]), w]), b]);
}

/** One pre-LN block, as blockForward: x + proj(attn(ln1(x))), then + fcproj(gelu(fc(ln2(·)))). */
function block(g: Graph, x: string, l: number): string {
  const w = (k: string) => `layers.${l}.${k}`;
  const perm = (p: number[]) => [
    { name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: p },
  ];
  const ln1 = layerNorm(g, x, w('ln1w'), w('ln1b'));
  const qkv = linear(g, ln1, w('qkvw'), w('qkvb'));
  const [q, k, v] = [0, 1, 2].map((i) => {
    const part = g.op('Slice', [qkv, `slice_start_${i}`, `slice_end_${i}`, 'slice_axis_1']);
    // (T, C) → (T, NH, HS) → (NH, T, HS); keys as (NH, HS, T), ready for q·kᵀ.
    const heads = g.op('Reshape', [part, 'shape_T_NH_HS']);
    return g.op('Transpose', [heads], perm(i === 1 ? [1, 2, 0] : [1, 0, 2]));
  });
  const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, k]), 'att_scale']), 'att_mask']);
  const att = g.op('Softmax', [scores], [attrInt('axis', -1)]);
  const y = g.op('Transpose', [g.op('MatMul', [att, v])], perm([1, 0, 2]));
  const atty = g.op('Reshape', [y, 'shape_T_C']);
  const res2 = g.op('Add', [x, linear(g, atty, w('attprojw'), w('attprojb'))]);
  const ln2 = layerNorm(g, res2, w('ln2w'), w('ln2b'));
  const fc = g.gelu(linear(g, ln2, w('fcw'), w('fcb')));
  return g.op('Add', [res2, linear(g, fc, w('fcprojw'), w('fcprojb'))]);
}

/** Serialised ModelProto of the planner with the checkpoint's weights. */
export function exportPlannerOnnx(state: CheckpointState): Uint8Array {
  const d = modelDims(state.config, state.vocab.size);
  const { T, C, E, W, NH, HS, P } = d;
  const params = state.tensors.params;
  const g = new Graph();
  for (const e of paramLayout(d).entries) {
    const values = params.get(e.name);
    if (!values || values.length !== e.size)
      throw new Error(
        `planner ONNX export: tensor '${e.name}' has ${values?.length ?? 0} values, the model needs ${e.size}`,
      );
    g.floats(e.name, [...e.shape], values);
  }
  g.floats('gelu_cube', [], [0.044715]);
  g.floats('gelu_scale', [], [Math.sqrt(2 / Math.PI)]);
  g.floats('half', [], [0.5]);
  g.floats('one', [], [1]);
  g.floats('ln_eps', [], [LAYER_NORM_EPS]);
  g.floats('att_scale', [], [1 / Math.sqrt(HS)]);
  g.floats('att_mask', [T, T], attentionMask(T, P));
  g.floats('zero_row', [1, C], new Float32Array(C));
  g.int64s('shape_E_1_W', [E, 1, W]);
  g.int64s('shape_E_C', [E, C]);
  g.int64s('shape_T_NH_HS', [T, NH, HS]);
  g.int64s('shape_T_C', [T, C]);
  g.int64s('slice_axis_1', [1]);
  for (let i = 0; i < 3; i++) {
    g.int64s(`slice_start_${i}`, [i * C]);
    g.int64s(`slice_end_${i}`, [(i + 1) * C]);
  }

  // Element rows (E, C): text mean + box MLP + crop projection; row E of the table is zero.
  const textEmb = g.op('Gather', ['wte', 'text_ids'], [attrInt('axis', 0)]);
  const textMean = g.op('Reshape', [
    g.op('MatMul', [g.op('Reshape', ['text_weights', 'shape_E_1_W']), textEmb]),
    'shape_E_C',
  ]);
  const boxRows = linear(g, g.gelu(linear(g, 'box', 'box1w', 'box1b')), 'box2w', 'box2b');
  const cropRows = linear(g, 'crop', 'cropw', 'cropb');
  const elemRows = g.op('Add', [g.op('Add', [boxRows, cropRows]), textMean]);
  const elemTable = g.op('Concat', [elemRows, 'zero_row'], [attrInt('axis', 0)]);
  // The sequence (T, C): token + element + position embeddings.
  const tok = g.op('Gather', ['wte', 'tokens'], [attrInt('axis', 0)]);
  const slot = g.op('Gather', [elemTable, 'slots'], [attrInt('axis', 0)]);
  let x = g.op('Add', [g.op('Add', [tok, slot]), 'wpe']);
  for (let l = 0; l < d.L; l++) x = block(g, x, l);
  const lnf = layerNorm(g, x, 'lnfw', 'lnfb');
  // Tied head: logits = lnf · wteᵀ.
  g.op('Gemm', [lnf, 'wte'], [attrInt('transB', 1)], 'logits');

  const signature = plannerOnnxSignature(d);
  const meta: Record<string, string> = {
    format: PLANNER_ONNX_FORMAT,
    config: JSON.stringify(state.config),
    vocab: JSON.stringify(state.vocab.toJSON()),
    ...(state.meta ? { run: JSON.stringify(state.meta) } : {}),
  };
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'tracelab',
    producerVersion: '1',
    docString: 'TraceLab anticipatory planner: prompt and forecast so far → next-token logits.',
    opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: Object.entries(meta).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'tracelab_planner',
      node: g.nodes,
      initializer: g.inits,
      input: signature.inputs.map(valueOf),
      output: [valueOf(signature.output)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
