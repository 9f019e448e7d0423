// Reading a grounder .onnx file back: the metadata (format, config, vocabulary) and the
// weights, with refusals that say what is wrong. The runner encodes screens with the
// vocabulary and config found here, and our own Backend forward takes its weights from here,
// so every consumer runs exactly the frozen model.
import { onnx } from 'onnx-proto';
import { Vocab } from '../text/vocab';
import { FEATURE_NAMES, grounderDims, type GrounderConfig, type GrounderDims } from './config';
import { grounderLayout, PARAM_NAMES } from './model';
import { GROUNDER_FORMAT } from './onnx-export';

export class GrounderModelError extends Error {
  constructor(message: string) {
    super(`grounder model: ${message}`);
    this.name = 'GrounderModelError';
  }
}

export interface GrounderFile {
  config: GrounderConfig;
  dims: GrounderDims;
  vocab: Vocab;
  /** The parameter region in layout order (model.ts), from the graph's initializers. */
  weights: Float32Array;
  /** Every metadata entry (training facts included). */
  meta: Record<string, string>;
}

export function readGrounderFile(bytes: Uint8Array): GrounderFile {
  if (bytes.length === 0) throw new GrounderModelError('the file is empty');
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new GrounderModelError(`not an ONNX model (protobuf: ${(e as Error).message})`);
  }
  const meta = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
  if (meta.format !== GROUNDER_FORMAT)
    throw new GrounderModelError(
      `format ${JSON.stringify(meta.format ?? null)}, expected '${GROUNDER_FORMAT}' (not a TraceLab grounder, or a corrupt file)`,
    );
  let config: GrounderConfig;
  let vocab: Vocab;
  try {
    config = JSON.parse(meta.config) as GrounderConfig;
    vocab = Vocab.fromJSON(JSON.parse(meta.vocab));
  } catch (e) {
    throw new GrounderModelError(`unreadable metadata: ${(e as Error).message}`);
  }
  if (meta.features !== JSON.stringify(FEATURE_NAMES))
    throw new GrounderModelError(
      `features ${meta.features}, this build has ${JSON.stringify(FEATURE_NAMES)}`,
    );
  const dims = grounderDims(config, vocab.size);
  const layout = grounderLayout(dims);
  const weights = new Float32Array(layout.size);
  const inits = new Map((model.graph?.initializer ?? []).map((t) => [t.name, t]));
  for (const name of PARAM_NAMES) {
    const e = layout.entry(name);
    const t = inits.get(name);
    if (!t) throw new GrounderModelError(`the graph has no initializer '${name}'`);
    const dims = (t.dims ?? []).map(Number);
    const data = t.floatData ?? [];
    if (dims.join(',') !== e.shape.join(',') || data.length !== e.size)
      throw new GrounderModelError(
        `initializer '${name}' is (${dims.join(',')}) with ${data.length} values, expected (${e.shape.join(',')})`,
      );
    weights.set(data, e.offset);
  }
  return { config, dims, vocab, weights, meta };
}
