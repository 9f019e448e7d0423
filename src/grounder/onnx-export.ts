// The frozen grounder as an ONNX graph, written with onnx-proto's generated protobuf classes
// (no hand-encoded bytes). Standard opset-13 ops only; weights are initializers; the element
// count N is a symbolic dimension. The graph appends the "not found" row itself, so its
// inputs are exactly the screen's elements and the description:
//
//   inputs   text_ids int32 (N,W)   text_weights (N,W)   row_ids int32 (N,RW)   row_weights (N,RW)
//            role_ids int32 (N)     feats (N,BF)         crop (N,CROP)        match (N,MF)
//            desc_ids int32 (D)     desc_weights (D)
//   outputs  probs (N+1)  softmax over the elements, then "not found" last
//            choice int64 (1)  argmax of probs
//            point (2)  the chosen box's centre in screen fractions; (−1, −1) for "not found"
//
// Everything the runner needs to encode a screen the same way (config, vocabulary, feature
// names) travels in the model's metadata, so the .onnx file is the whole frozen tool.
import { onnx } from 'onnx-proto';
import type { Vocab } from '../text/vocab';
import { FEATURE_NAMES, type GrounderConfig, type GrounderDims } from './config';
import { nullRow } from './features';
import { grounderLayout, PARAM_NAMES } from './model';

export const GROUNDER_FORMAT = 'tracelab-grounder/1';
const IR_VERSION = 8;
const OPSET = 13;

export const INPUT_NAMES = [
  'text_ids',
  'text_weights',
  'row_ids',
  'row_weights',
  'role_ids',
  'feats',
  'crop',
  'match',
  'desc_ids',
  'desc_weights',
] as const;
export const OUTPUT_NAMES = ['probs', 'choice', 'point'] as const;

export interface GrounderCard {
  /** Free-form training facts shown by the data card (seed, steps, accuracy). */
  [key: string]: string;
}

const F = onnx.TensorProto.DataType.FLOAT;
const I32 = onnx.TensorProto.DataType.INT32;
const I64 = onnx.TensorProto.DataType.INT64;

type Dim = number | string;

export function valueInfo(name: string, elemType: number, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

/** A small graph builder: nodes in order, initializers by name (the planner export uses it too). */
export class Graph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly inits: onnx.ITensorProto[] = [];
  private n = 0;

  op(opType: string, inputs: string[], attrs: onnx.IAttributeProto[] = [], out?: string): string {
    const output = out ?? `${opType.toLowerCase()}_${this.n++}`;
    this.nodes.push({ name: output, opType, input: inputs, output: [output], attribute: attrs });
    return output;
  }

  floats(name: string, dims: number[], data: ArrayLike<number>): string {
    this.inits.push({ name, dataType: F, dims, floatData: Array.from(data) });
    return name;
  }

  ints(name: string, dims: number[], data: ArrayLike<number>): string {
    this.inits.push({ name, dataType: I32, dims, int32Data: Array.from(data) });
    return name;
  }

  int64s(name: string, data: number[]): string {
    this.inits.push({ name, dataType: I64, dims: [data.length], int64Data: data });
    return name;
  }

  matmulAdd(x: string, w: string, b: string): string {
    return this.op('Add', [this.op('MatMul', [x, w]), b]);
  }

  /** GPT-2's tanh GELU from elementary ops: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  gelu(x: string): string {
    const x3 = this.op('Mul', [this.op('Mul', [x, x]), x]);
    const inner = this.op('Add', [x, this.op('Mul', [x3, 'gelu_cube'])]);
    const t = this.op('Tanh', [this.op('Mul', [inner, 'gelu_scale'])]);
    return this.op('Mul', [this.op('Mul', [x, 'half']), this.op('Add', [t, 'one'])]);
  }
}

export function attrInt(name: string, i: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

/** Serialised ModelProto of the grounder with `weights` (the parameter region, layout order). */
export function exportGrounderOnnx(
  vocab: Vocab,
  cfg: GrounderConfig,
  d: GrounderDims,
  weights: Float32Array,
  card: GrounderCard = {},
): Uint8Array {
  const layout = grounderLayout(d);
  if (weights.length < layout.size)
    throw new Error(`grounder export: ${weights.length} weights, the layout needs ${layout.size}`);
  const { C, W, RW, D, BF, CROP } = d;
  const g = new Graph();
  for (const name of PARAM_NAMES) {
    const e = layout.entry(name);
    g.floats(name, [...e.shape], weights.subarray(e.offset, e.offset + e.size));
  }
  g.floats('gelu_cube', [], [0.044715]);
  g.floats('gelu_scale', [], [Math.sqrt(2 / Math.PI)]);
  g.floats('half', [], [0.5]);
  g.floats('one', [], [1]);
  g.int64s('shape_rows_1_W', [-1, 1, W]);
  g.int64s('shape_rows_1_RW', [-1, 1, RW]);
  g.int64s('shape_rows_C', [-1, C]);
  g.int64s('shape_1_D', [1, D]);
  g.int64s('shape_flat', [-1]);
  // The "not found" row, appended after the elements.
  const nul = nullRow(vocab, d);
  g.ints('null_text_ids', [1, W], nul.textIds);
  g.floats('null_text_weights', [1, W], nul.textWeights);
  g.ints('null_row_ids', [1, RW], nul.rowIds);
  g.floats('null_row_weights', [1, RW], nul.rowWeights);
  g.ints('null_role_ids', [1], nul.roleIds);
  g.floats('null_feats', [1, BF], nul.feats);
  g.floats('null_crop', [1, CROP], nul.crop);
  g.floats('null_match', [1, d.MF], new Float32Array(d.MF));
  const all = (input: string) => g.op('Concat', [input, `null_${input}`], [attrInt('axis', 0)]);
  const textIds = all('text_ids');
  const textWeights = all('text_weights');
  const rowIds = all('row_ids');
  const rowWeights = all('row_weights');
  const roleIds = all('role_ids');
  const feats = all('feats');
  const crop = all('crop');
  const match = all('match');

  // Bag of tokens: (R,1,K)·(R,K,C) → (R,C).
  const bag = (ids: string, weights: string, shape: string) => {
    const emb = g.op('Gather', ['wte', ids], [attrInt('axis', 0)]);
    const mean = g.op('MatMul', [g.op('Reshape', [weights, shape]), emb]);
    return g.op('Reshape', [mean, 'shape_rows_C']);
  };
  const text = bag(textIds, textWeights, 'shape_rows_1_W');
  const row = g.op('MatMul', [bag(rowIds, rowWeights, 'shape_rows_1_RW'), 'roww']);
  const role = g.op('Gather', ['wte', roleIds], [attrInt('axis', 0)]);
  const box = g.matmulAdd(g.gelu(g.matmulAdd(feats, 'box1w', 'box1b')), 'box2w', 'box2b');
  const pix = g.matmulAdd(g.gelu(g.matmulAdd(crop, 'crop1w', 'crop1b')), 'crop2w', 'crop2b');
  const h = g.op('Add', [g.op('Add', [g.op('Add', [g.op('Add', [text, row]), role]), box]), pix]);

  const descEmb = g.op('Gather', ['wte', 'desc_ids'], [attrInt('axis', 0)]);
  const q = g.op('MatMul', [g.op('Reshape', ['desc_weights', 'shape_1_D']), descEmb]);
  const qp = g.matmulAdd(q, 'qw', 'qb');
  const u = g.op('Mul', [h, qp]);
  const zPre = g.op('Add', [
    g.op('Add', [
      g.op('Add', [g.op('MatMul', [u, 'zw']), g.op('MatMul', [h, 'hw'])]),
      g.op('MatMul', [match, 'mw']),
    ]),
    'zb',
  ]);
  const scores = g.op('Reshape', [g.op('MatMul', [g.gelu(zPre), 'sw']), 'shape_flat']);
  g.op('Softmax', [scores], [attrInt('axis', 0)], 'probs');
  g.op('ArgMax', ['probs'], [attrInt('axis', 0), attrInt('keepdims', 1)], 'choice');

  // Box centres as one product with the features: (x + w/2, y + h/2), and −1 on the null row.
  const centre = new Float32Array(BF * 2);
  const at = (name: string) => FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number]);
  centre[at('x') * 2] = 1;
  centre[at('w') * 2] = 0.5;
  centre[at('y') * 2 + 1] = 1;
  centre[at('h') * 2 + 1] = 0.5;
  centre[at('isNull') * 2] = -1;
  centre[at('isNull') * 2 + 1] = -1;
  g.floats('centre_of_feats', [BF, 2], centre);
  const centres = g.op('MatMul', [feats, 'centre_of_feats']);
  const picked = g.op('Gather', [centres, 'choice'], [attrInt('axis', 0)]);
  g.op('Reshape', [picked, 'shape_flat'], [], 'point');

  const meta: Record<string, string> = {
    format: GROUNDER_FORMAT,
    config: JSON.stringify(cfg),
    features: JSON.stringify(FEATURE_NAMES),
    vocab: JSON.stringify(vocab.toJSON()),
    ...card,
  };
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'tracelab',
    producerVersion: '1',
    docString: 'TraceLab frozen GUI grounder: step description + screen elements → element, point.',
    opsetImport: [{ domain: '', version: OPSET }],
    metadataProps: Object.entries(meta).map(([key, value]) => ({ key, value })),
    graph: {
      name: 'tracelab_grounder',
      node: g.nodes,
      initializer: g.inits,
      input: [
        valueInfo('text_ids', I32, ['N', W]),
        valueInfo('text_weights', F, ['N', W]),
        valueInfo('row_ids', I32, ['N', RW]),
        valueInfo('row_weights', F, ['N', RW]),
        valueInfo('role_ids', I32, ['N']),
        valueInfo('feats', F, ['N', BF]),
        valueInfo('crop', F, ['N', CROP]),
        valueInfo('match', F, ['N', d.MF]),
        valueInfo('desc_ids', I32, [D]),
        valueInfo('desc_weights', F, [D]),
      ],
      output: [
        valueInfo('probs', F, ['N_plus_1']),
        valueInfo('choice', I64, [1]),
        valueInfo('point', F, [2]),
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
