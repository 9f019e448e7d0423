// The frozen grounder in onnxruntime-web. The caller passes the ort module it imported (Node:
// 'onnxruntime-web' resolves to its wasm build; a browser worker imports it with locally
// served wasm files) and the model bytes, so this file has no environment of its own.
import type * as Ort from 'onnxruntime-web';
import { groundResult, type GroundingAgent, type GroundResult } from './agent';
import {
  encodeDescription,
  encodeMatch,
  encodeScreen,
  type DescriptionFeatures,
  type ElementFeatures,
  type ScreenInput,
} from './features';
import { GrounderModelError, readGrounderFile, type GrounderFile } from './model-file';
import { INPUT_NAMES, OUTPUT_NAMES } from './onnx-export';

export type OrtModule = typeof Ort;
export type OrtBackendName = 'ort-wasm' | 'ort-webgpu';

export interface CreateGrounderOptions {
  backend: OrtBackendName;
  /** The .onnx bytes (public/models/grounder.onnx). */
  model: Uint8Array;
  ort: OrtModule;
}

/** Raised for inputs of the wrong shape or type; the message names the input. */
export class GrounderInputError extends Error {
  constructor(message: string) {
    super(`grounder input: ${message}`);
    this.name = 'GrounderInputError';
  }
}

export interface RawOutputs {
  probs: Float32Array;
  choice: number;
  point: [number, number];
}

export class OrtGrounder implements GroundingAgent {
  private constructor(
    readonly backend: OrtBackendName,
    readonly file: GrounderFile,
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
  ) {}

  static async create(opts: CreateGrounderOptions): Promise<OrtGrounder> {
    const file = readGrounderFile(opts.model);
    const ep = opts.backend === 'ort-webgpu' ? 'webgpu' : 'wasm';
    let session: Ort.InferenceSession;
    try {
      session = await opts.ort.InferenceSession.create(opts.model, { executionProviders: [ep] });
    } catch (e) {
      throw new GrounderModelError(`onnxruntime-web (${ep}) could not load it: ${String(e)}`);
    }
    const missing = [...INPUT_NAMES].filter((n) => !session.inputNames.includes(n));
    const missingOut = [...OUTPUT_NAMES].filter((n) => !session.outputNames.includes(n));
    if (missing.length || missingOut.length)
      throw new GrounderModelError(`the graph lacks ${[...missing, ...missingOut].join(', ')}`);
    return new OrtGrounder(opts.backend, file, opts.ort, session);
  }

  async ground(
    screen: ScreenInput,
    pixels: Uint8Array,
    description: string,
  ): Promise<GroundResult> {
    const { vocab, dims, config } = this.file;
    const f = encodeScreen(vocab, dims, config.cropSize, screen, pixels);
    const match = encodeMatch(dims, screen, description);
    const out = await this.run(f, encodeDescription(vocab, dims, description), match);
    return groundResult(screen, out.probs, out.choice, out.point);
  }

  /** One run of the graph on encoded features; checks every shape first. */
  async run(
    f: ElementFeatures,
    desc: DescriptionFeatures,
    match: Float32Array,
  ): Promise<RawOutputs> {
    const { W, RW, BF, MF, CROP, D } = this.file.dims;
    const n = f.n;
    const T = this.ort.Tensor;
    const want = (name: string, got: ArrayLike<number>, size: number, what: string) => {
      if (got.length !== size)
        throw new GrounderInputError(
          `${name} has ${got.length} values, expected ${size} (${what})`,
        );
    };
    want('text_ids', f.textIds, n * W, `n=${n} × W=${W}`);
    want('text_weights', f.textWeights, n * W, `n=${n} × W=${W}`);
    want('row_ids', f.rowIds, n * RW, `n=${n} × RW=${RW}`);
    want('row_weights', f.rowWeights, n * RW, `n=${n} × RW=${RW}`);
    want('role_ids', f.roleIds, n, `n=${n}`);
    want('feats', f.feats, n * BF, `n=${n} × BF=${BF}`);
    want('crop', f.crop, n * CROP, `n=${n} × CROP=${CROP}`);
    want('match', match, n * MF, `n=${n} × MF=${MF}`);
    want('desc_ids', desc.ids, D, `D=${D}`);
    want('desc_weights', desc.weights, D, `D=${D}`);
    const feeds: Record<string, Ort.Tensor> = {
      text_ids: new T('int32', f.textIds, [n, W]),
      text_weights: new T('float32', f.textWeights, [n, W]),
      row_ids: new T('int32', f.rowIds, [n, RW]),
      row_weights: new T('float32', f.rowWeights, [n, RW]),
      role_ids: new T('int32', f.roleIds, [n]),
      feats: new T('float32', f.feats, [n, BF]),
      crop: new T('float32', f.crop, [n, CROP]),
      match: new T('float32', match, [n, MF]),
      desc_ids: new T('int32', desc.ids, [D]),
      desc_weights: new T('float32', desc.weights, [D]),
    };
    return this.runFeeds(feeds);
  }

  /** Runs the session on raw feeds (exposed so tests can show malformed tensors are refused). */
  async runFeeds(feeds: Record<string, Ort.Tensor>): Promise<RawOutputs> {
    let out: Ort.InferenceSession.ReturnType;
    try {
      out = await this.session.run(feeds);
    } catch (e) {
      throw new GrounderInputError(`onnxruntime refused the inputs: ${String(e)}`);
    }
    const probs = (await out.probs.getData()) as Float32Array;
    const choice = Number(((await out.choice.getData()) as BigInt64Array)[0]);
    const point = (await out.point.getData()) as Float32Array;
    return { probs: Float32Array.from(probs), choice, point: [point[0], point[1]] };
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** `createGrounder({ backend: 'ort-wasm' | 'ort-webgpu', model, ort })`. */
export function createGrounder(opts: CreateGrounderOptions): Promise<OrtGrounder> {
  return OrtGrounder.create(opts);
}
