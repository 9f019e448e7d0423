// Reading a planner ONNX file (the one exportPlannerOnnx writes) back, before anything runs
// it: the bytes must parse as an ONNX model, say they are a TraceLab planner, carry a valid
// config and this app's vocabulary, and declare exactly the inputs and output that config
// implies. Every refusal names what is wrong, so a wrong file is never half-loaded.
import { onnx } from 'onnx-proto';
import { Vocab } from '../../text/vocab';
import { modelDims, validateConfig, type ModelDims, type PlannerConfig } from '../model/config';
import { PLANNER_ONNX_FORMAT, plannerOnnxSignature, type PlannerOnnxValue } from './planner-onnx';

export interface PlannerOnnxFile {
  config: PlannerConfig;
  dims: ModelDims;
  /** Weights in the graph's initializers. */
  params: number;
  /** The training run the weights came from, when the exporter knew it. */
  run: unknown;
}

export class PlannerOnnxError extends Error {
  constructor(what: string, message: string) {
    super(`${what}: ${message}`);
    this.name = 'PlannerOnnxError';
  }
}

const ELEM_TYPES: Record<number, PlannerOnnxValue['type']> = {
  [onnx.TensorProto.DataType.INT32]: 'int32',
  [onnx.TensorProto.DataType.FLOAT]: 'float32',
};

function describe(v: PlannerOnnxValue): string {
  return `${v.name} ${v.type} [${v.shape.join(', ')}]`;
}

/** The declared name, element type and fixed shape of a graph input or output. */
function declared(info: onnx.IValueInfoProto): PlannerOnnxValue {
  const tensor = info.type?.tensorType;
  const shape = (tensor?.shape?.dim ?? []).map((d) =>
    d.dimValue === undefined || d.dimValue === null ? NaN : Number(d.dimValue),
  );
  return { name: info.name ?? '', type: ELEM_TYPES[tensor?.elemType ?? -1], shape };
}

function sameValue(a: PlannerOnnxValue, b: PlannerOnnxValue): boolean {
  return a.name === b.name && a.type === b.type && a.shape.join() === b.shape.join();
}

/** Parses and checks `bytes` (named `what` in errors) against the app's vocabulary. */
export function readPlannerOnnx(
  bytes: Uint8Array,
  vocab: Vocab,
  what = 'the ONNX file',
): PlannerOnnxFile {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new PlannerOnnxError(what, `is not an ONNX model (${why})`);
  }
  const graph = model.graph;
  if (!graph?.node?.length) {
    throw new PlannerOnnxError(what, 'is not an ONNX model (it holds no graph)');
  }
  const meta = new Map(model.metadataProps.map((p) => [p.key ?? '', p.value ?? '']));
  const format = meta.get('format');
  if (format !== PLANNER_ONNX_FORMAT) {
    throw new PlannerOnnxError(
      what,
      `is an ONNX model but not a TraceLab planner (metadata format ${JSON.stringify(format ?? null)}, expected '${PLANNER_ONNX_FORMAT}')`,
    );
  }
  const config = checked(what, 'has a bad config', () =>
    validateConfig(parseMeta(meta, 'config', what)),
  );
  const theirs = checked(what, 'has a bad vocabulary', () =>
    Vocab.fromJSON(parseMeta(meta, 'vocab', what)),
  );
  checked(what, 'was made with another vocabulary', () => vocab.assertSame(theirs, what));
  const dims = modelDims(config, vocab.size);
  const want = plannerOnnxSignature(dims);
  const inputs = (graph.input ?? []).map(declared);
  const output = (graph.output ?? []).map(declared);
  if (
    inputs.length !== want.inputs.length ||
    inputs.some((v, i) => !sameValue(v, want.inputs[i])) ||
    output.length !== 1 ||
    !sameValue(output[0], want.output)
  ) {
    const list = (vs: PlannerOnnxValue[]) => vs.map(describe).join(', ');
    throw new PlannerOnnxError(
      what,
      `does not have the shape its config implies: inputs ${list(inputs)} → ${list(output)}; expected ${list(want.inputs)} → ${describe(want.output)}`,
    );
  }
  let params = 0;
  for (const init of graph.initializer ?? []) {
    params += (init.dims ?? []).reduce((n, d) => n * Number(d), 1);
  }
  return { config, dims, params, run: meta.has('run') ? parseMeta(meta, 'run', what) : null };
}

/** Runs `read`, rethrowing its error as a PlannerOnnxError that says `problem`. */
function checked<T>(what: string, problem: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof PlannerOnnxError) throw e;
    throw new PlannerOnnxError(what, `${problem} (${e instanceof Error ? e.message : String(e)})`);
  }
}

function parseMeta(meta: Map<string, string>, key: string, what: string): unknown {
  const text = meta.get(key);
  if (text === undefined) throw new PlannerOnnxError(what, `has no '${key}' metadata`);
  try {
    return JSON.parse(text);
  } catch {
    throw new PlannerOnnxError(what, `has '${key}' metadata that is not JSON`);
  }
}
