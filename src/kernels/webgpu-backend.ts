// The WebGPU backend: every op of the Backend interface, recorded into one command buffer per
// step by the runtime (src/kernels/runtime) and run at flush().
//
// Adding an op (the recipe):
//   1. src/kernels/ops/<op>.wgsl. Header comment: the formula, each binding with its shape,
//      the dispatch grid, and whether it overwrites or accumulates. Binding convention:
//        @group(0) @binding(0) var<uniform> p: Params;             // 32-bit scalars only
//        @group(0) @binding(1..) var<storage, read_write> …;       // inputs too (see kernel.ts)
//      Tunables (workgroup size, tiles, flags) are `override` constants, never string edits.
//      For 1-D ops use the folded index `gid.x + gid.y * num_workgroups.x * WG` with grid1d.
//   2. src/kernels/ops/<op>.ts: `defineKernel({ name, source, entryPoint, bindings, params })`
//      with binding and param names in WGSL order, and a function
//      `<op>(rt, ...slices, ...dims)` that calls `rt.dispatch(kernel, { bindings: {…},
//      params: {…}, constants: {…}, workgroups })`.
//   3. Declare the op once in the Backend interface (backend.ts), its argument check in
//      validate.ts, and here its entry in `kernels`: the wrapper call with `this.s(t)` slices
//      and the dims the check returned (KernelBackend runs the check first).
//   4. src/kernels/cases/<op>.cases.ts with OpCases (odd sizes included); the parity test
//      tests/kernels/<op>.test.ts runs them against the CPU backend.
// Never wait on the GPU inside an op; read()/sync() are the only awaits.

import { sizeOf, type Backend, type DType, type GrpoTokens, type Tensor } from './backend';
import {
  autotuneMatmul,
  defaultMatmulVariant,
  defaultTuneStore,
  tuneKey,
  type AutotuneOptions,
  type TuneResult,
  type TuneStore,
} from './autotune';
import * as activationOps from './ops/activation';
import { adamw as adamwOp } from './ops/adamw';
import * as attentionOps from './ops/attention';
import { attentionStep as attentionStepOp } from './ops/attention-step';
import * as biasOps from './ops/bias';
import { clipByNorm as clipByNormOp } from './ops/clip-by-norm';
import { copy as copyOp } from './ops/copy';
import * as crossEntropyOps from './ops/cross-entropy';
import { discountedSum as discountedSumOp } from './ops/discounted-sum';
import * as elementwiseOps from './ops/elementwise';
import * as embeddingOps from './ops/embedding';
import * as gatherOps from './ops/gather-rows';
import * as grpoOps from './ops/grpo-token-loss';
import { groupNormalize as groupNormalizeOp } from './ops/group-normalize';
import { l2Norm as l2NormOp, MAX_PARTIALS } from './ops/l2-norm';
import * as layerNormOps from './ops/layer-norm';
import * as maskedMeanOps from './ops/masked-mean';
import { matmul as matmulOp, matmulVariant, type MatmulVariant } from './ops/matmul';
import { reduce as reduceOp } from './ops/reduce';
import { sampleTokens as sampleTokensOp } from './ops/sample-tokens';
import * as softmaxOps from './ops/softmax';
import { writeRow as writeRowOp } from './ops/write-row';
import { zero as zeroOp } from './ops/zero';
import {
  describeGpu,
  GpuRuntime,
  requestGpuDevice,
  type BufferSlice,
  type DeviceLostInfo,
  type GpuDevice,
  type GpuInfo,
  type PooledBuffer,
} from './runtime';
import { KernelBackend, type Kernels } from './kernel-backend';
import { validateStorage } from './validate';

/** Views must start on 256-byte boundaries: 64 elements of 4 bytes. */
const VIEW_ALIGNMENT_ELEMENTS = 64;

/** Storage shared by a tensor and its views. */
class GpuStorage {
  released = false;
  constructor(readonly buf: PooledBuffer) {}
}

export class GpuTensor implements Tensor {
  private releasedSelf = false;
  readonly size: number;
  /** The byte range bound to kernels. */
  readonly slice: BufferSlice;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly offset: number,
    readonly storage: GpuStorage,
    readonly isView: boolean,
  ) {
    this.size = sizeOf(shape);
    this.slice = { buf: storage.buf, byteOffset: offset * 4, byteLength: this.size * 4 };
  }

  get released(): boolean {
    return this.releasedSelf || this.storage.released;
  }

  markReleased(): void {
    this.releasedSelf = true;
  }
}

export interface MatmulChoice {
  variant: string;
  /** forced: by the caller; autotune: timed now; cache: an earlier tune; default: untuned guess. */
  source: 'forced' | 'autotune' | 'cache' | 'default';
  /** Timings from the tune that chose it (absent for forced/default). */
  tune?: TuneResult;
}

export interface WebGpuBackendOptions {
  /** Force a matmul variant (see MATMUL_VARIANTS); disables autotune. */
  matmulVariant?: string;
  /** Store for autotune results; default localStorage in the browser, memory elsewhere. */
  tuneStore?: TuneStore;
}

export interface CreateWebGpuBackendOptions extends WebGpuBackendOptions {
  /** The GPU object (Node: from the `webgpu` package); default navigator.gpu. */
  gpu?: GPU;
  /** Time matmul variants at start-up (default true; skipped when a variant is forced). */
  autotune?: boolean | Omit<AutotuneOptions, 'store'>;
}

export class WebGpuBackend extends KernelBackend implements Backend {
  readonly kind = 'webgpu' as const;
  readonly description: string;
  /** The runtime, for op wrappers and diagnostics (stats, onDeviceLost). */
  readonly rt: GpuRuntime;
  private matmulImpl: MatmulVariant;
  private choice: MatmulChoice;
  private readonly tuneStore: TuneStore;
  private nextId = 1;

  /** Acquire a device, build the backend and (unless a variant is forced) autotune matmul. */
  static async create(opts: CreateWebGpuBackendOptions = {}): Promise<WebGpuBackend> {
    const backend = new WebGpuBackend(await requestGpuDevice(opts.gpu), opts);
    if (opts.matmulVariant === undefined && opts.autotune !== false) {
      await backend.autotune(typeof opts.autotune === 'object' ? opts.autotune : {});
    }
    return backend;
  }

  /**
   * Synchronous construction over a device you already have (no timing: uses a cached tune
   * result if there is one, else a guess from the adapter; call autotune() to time).
   */
  constructor(device: GpuDevice | GPUDevice, opts: WebGpuBackendOptions = {}) {
    super();
    this.rt = new GpuRuntime(device);
    this.description = describeGpu(this.rt.info);
    this.tuneStore = opts.tuneStore ?? defaultTuneStore();
    if (opts.matmulVariant !== undefined) {
      this.matmulImpl = matmulVariant(opts.matmulVariant);
      this.choice = { variant: this.matmulImpl.name, source: 'forced' };
    } else {
      const cached = this.tuneStore.get(tuneKey(this.rt));
      this.matmulImpl = cached ? matmulVariant(cached.variant) : defaultMatmulVariant(this.rt);
      this.choice = cached
        ? { variant: cached.variant, source: 'cache', tune: cached }
        : { variant: this.matmulImpl.name, source: 'default' };
    }
  }

  get info(): GpuInfo {
    return this.rt.info;
  }

  /** Which matmul variant runs, and why. */
  get matmulChoice(): MatmulChoice {
    return this.choice;
  }

  /** Force a matmul variant (benchmarks time each one this way). */
  setMatmulVariant(name: string): void {
    this.matmulImpl = matmulVariant(name);
    this.choice = { variant: name, source: 'forced' };
  }

  /** Time the matmul variants (or reuse this adapter's cached result) and use the fastest. */
  async autotune(opts: Omit<AutotuneOptions, 'store'> = {}): Promise<MatmulChoice> {
    const { result, cached } = await autotuneMatmul(this.rt, { ...opts, store: this.tuneStore });
    this.matmulImpl = matmulVariant(result.variant);
    this.choice = { variant: result.variant, source: cached ? 'cache' : 'autotune', tune: result };
    return this.choice;
  }

  onDeviceLost(cb: (info: DeviceLostInfo) => void): () => void {
    return this.rt.onDeviceLost(cb);
  }

  /** The byte range of a validated tensor. */
  private s(t: Tensor): BufferSlice {
    return (t as GpuTensor).slice;
  }

  // ---- memory ----

  tensor(shape: readonly number[], dtype: DType = 'f32', name = 'tensor'): Tensor {
    const { size } = validateStorage.tensor(shape, dtype);
    const { buf, reused } = this.rt.alloc(size * 4);
    const t = new GpuTensor(this.nextId++, name, [...shape], dtype, 0, new GpuStorage(buf), false);
    // Fresh GPU buffers are zeroed by WebGPU; a reused one still holds its last tensor.
    if (reused) zeroOp(this.rt, t.slice, size);
    return t;
  }

  view(parent: Tensor, offset: number, shape: readonly number[], name?: string): Tensor {
    validateStorage.view(parent, offset, shape, VIEW_ALIGNMENT_ELEMENTS);
    const p = parent as GpuTensor;
    const start = p.offset + offset;
    const viewName = name ?? `${p.name}[${offset}:${offset + sizeOf(shape)}]`;
    return new GpuTensor(this.nextId++, viewName, [...shape], p.dtype, start, p.storage, true);
  }

  write(t: Tensor, data: Float32Array | Int32Array | readonly number[]): void {
    validateStorage.write(t, data);
    const typed =
      data instanceof Float32Array || data instanceof Int32Array
        ? data
        : t.dtype === 'f32'
          ? Float32Array.from(data)
          : Int32Array.from(data);
    this.rt.write(this.s(t), typed);
  }

  async read(t: Tensor): Promise<Float32Array | Int32Array> {
    validateStorage.read(t);
    const bytes = await this.rt.read(this.s(t), `read '${t.name}'`);
    return t.dtype === 'f32' ? new Float32Array(bytes) : new Int32Array(bytes);
  }

  release(t: Tensor): void {
    validateStorage.release(t);
    const g = t as GpuTensor;
    g.markReleased();
    if (!g.isView && !this.rt.isLost) {
      g.storage.released = true;
      this.rt.free(g.storage.buf);
    }
  }

  flush(): void {
    this.rt.flush();
  }

  sync(): Promise<void> {
    return this.rt.sync();
  }

  destroy(): void {
    this.rt.destroy();
  }

  /** l2Norm's per-workgroup partial sums; allocated on first use, reused by every call. */
  private l2Partials: BufferSlice | null = null;

  /** The kernels record their dispatches into the step's command buffer. */
  protected readonly kernels: Kernels = {
    zero: (_, t) => zeroOp(this.rt, this.s(t), t.size),
    copy: ({ n }, out, a) => copyOp(this.rt, this.s(out), this.s(a), n),

    // ---- linear algebra ----
    matmul: (d, out, a, b, opts = {}) =>
      matmulOp(this.rt, this.matmulImpl, this.s(out), this.s(a), this.s(b), d, opts),
    biasAdd: ({ R, C }, out, x, bias) =>
      biasOps.biasAdd(this.rt, this.s(out), this.s(x), this.s(bias), R, C),
    biasBackward: ({ R, C }, dbias, dout) =>
      biasOps.biasBackward(this.rt, this.s(dbias), this.s(dout), R, C),

    // ---- elementwise ----
    add: ({ n }, out, a, b) => elementwiseOps.add(this.rt, this.s(out), this.s(a), this.s(b), n),
    mul: ({ n }, out, a, b) => elementwiseOps.mul(this.rt, this.s(out), this.s(a), this.s(b), n),
    scale: ({ n }, out, a, s) => elementwiseOps.scale(this.rt, this.s(out), this.s(a), s, n),
    activation: ({ n }, kind, out, x) =>
      activationOps.activation(this.rt, kind, this.s(out), this.s(x), n),
    activationBackward: ({ n }, kind, dx, x, dout) =>
      activationOps.activationBackward(this.rt, kind, this.s(dx), this.s(x), this.s(dout), n),

    // ---- normalisation ----
    layerNorm: (d, t) => {
      const [o, m, r] = [this.s(t.out), this.s(t.mean), this.s(t.rstd)];
      const [x, w, b] = [this.s(t.x), this.s(t.w), this.s(t.b)];
      layerNormOps.layerNorm(this.rt, o, m, r, x, w, b, d.R, d.C, d.eps);
    },
    layerNormBackward: ({ R, C }, t) => {
      const grads = [this.s(t.dx), this.s(t.dw), this.s(t.db)] as const;
      const saved = [this.s(t.x), this.s(t.w), this.s(t.mean), this.s(t.rstd)] as const;
      layerNormOps.layerNormBackward(this.rt, ...grads, this.s(t.dout), ...saved, R, C);
    },
    softmax: ({ R, C }, out, x) =>
      softmaxOps.softmaxForward(this.rt, 'softmax', this.s(out), this.s(x), R, C),
    softmaxBackward: ({ R, C }, dx, y, dy) =>
      softmaxOps.softmaxBackward(this.rt, 'softmax', this.s(dx), this.s(y), this.s(dy), R, C),
    logSoftmax: ({ R, C }, out, x) =>
      softmaxOps.softmaxForward(this.rt, 'logSoftmax', this.s(out), this.s(x), R, C),
    logSoftmaxBackward: ({ R, C }, dx, y, dy) =>
      softmaxOps.softmaxBackward(this.rt, 'logSoftmax', this.s(dx), this.s(y), this.s(dy), R, C),

    // ---- attention ----
    attention: (d, out, att, qkv, prefixLen) => {
      const prefix = prefixLen ? this.s(prefixLen) : null;
      attentionOps.attention(this.rt, this.s(out), this.s(att), this.s(qkv), prefix, d);
    },
    attentionBackward: (d, dqkv, datt, dout, qkv, att) => {
      const [g, scratch] = [this.s(dqkv), this.s(datt)];
      const [dOut, q, a] = [this.s(dout), this.s(qkv), this.s(att)];
      attentionOps.attentionBackward(this.rt, g, scratch, dOut, q, a, d);
    },

    // ---- embeddings and token losses ----
    embedding: ({ N, V, C }, out, ids, table) =>
      embeddingOps.embedding(this.rt, this.s(out), this.s(ids), this.s(table), N, V, C),
    embeddingBackward: ({ N, V, C }, dtable, dout, ids) =>
      embeddingOps.embeddingBackward(this.rt, this.s(dtable), this.s(dout), this.s(ids), N, V, C),
    gatherRows: ({ N, V }, out, logp, ids) =>
      gatherOps.gatherRows(this.rt, this.s(out), this.s(logp), this.s(ids), N, V),
    gatherRowsBackward: ({ N, V }, dlogp, dout, ids) =>
      gatherOps.gatherRowsBackward(this.rt, this.s(dlogp), this.s(dout), this.s(ids), N, V),
    crossEntropy: ({ N, V }, losses, probs, logits, targets) => {
      const [l, pr] = [this.s(losses), this.s(probs)];
      crossEntropyOps.crossEntropy(this.rt, l, pr, this.s(logits), this.s(targets), N, V);
    },
    crossEntropyBackward: ({ N, V }, dlogits, probs, targets, dlosses) => {
      const [g, pr, t] = [this.s(dlogits), this.s(probs), this.s(targets)];
      crossEntropyOps.crossEntropyBackward(this.rt, g, pr, t, this.s(dlosses), N, V);
    },

    // ---- reductions ----
    reduce: ({ R, C }, kind, out, x) => reduceOp(this.rt, kind, this.s(out), this.s(x), R, C),
    l2Norm: ({ n }, out, x) => {
      const bytes = MAX_PARTIALS * 4;
      this.l2Partials ??= { buf: this.rt.alloc(bytes).buf, byteOffset: 0, byteLength: bytes };
      l2NormOp(this.rt, this.s(out), this.s(x), this.l2Partials, n);
    },

    // ---- optimisation ----
    adamw: ({ n }, params, grads, m, v, s) =>
      adamwOp(this.rt, this.s(params), this.s(grads), this.s(m), this.s(v), s, n),
    clipByNorm: ({ n }, grads, norm, maxNorm) =>
      clipByNormOp(this.rt, this.s(grads), this.s(norm), maxNorm, n),

    // ---- reinforcement-learning reductions ----
    groupNormalize: (d, adv, rewards) =>
      groupNormalizeOp(this.rt, this.s(adv), this.s(rewards), d.N, d.G, d.eps),
    discountedSum: ({ B, H }, out, rewards, gamma) =>
      discountedSumOp(this.rt, this.s(out), this.s(rewards), gamma, B, H),
    maskedMean: ({ B, T }, out, x, mask) =>
      maskedMeanOps.maskedMean(this.rt, this.s(out), this.s(x), this.s(mask), B, T),
    maskedMeanBackward: ({ B, T }, dx, dout, mask) =>
      maskedMeanOps.maskedMeanBackward(this.rt, this.s(dx), this.s(dout), this.s(mask), B, T),

    // ---- decoding and the GRPO token loss ----
    writeRow: (d, dst, src) => writeRowOp(this.rt, this.s(dst), this.s(src), d),
    attentionStep: (d, out, qkv, _pos, prefixLen) => {
      const prefix = prefixLen ? this.s(prefixLen) : null;
      attentionStepOp(this.rt, this.s(out), this.s(qkv), prefix, d);
    },
    sampleTokens: (d, ids, logp, logits, uniforms) => {
      const [i, lp, x, u] = [ids, logp, logits, uniforms].map((t) => this.s(t));
      sampleTokensOp(this.rt, i, lp, x, u, d);
    },
    grpoTokenLoss: (d, loss, dlogp, tokens) =>
      grpoOps.grpoTokenLoss(this.rt, this.s(loss), this.s(dlogp), this.tokenSlices(tokens), d),
    grpoTokenStats: (d, kl, clipped, tokens) => {
      const slices = this.tokenSlices(tokens);
      grpoOps.grpoTokenStats(this.rt, this.s(kl), this.s(clipped), slices, d.N, d.clipEps);
    },
  };

  private tokenSlices(t: GrpoTokens): GrpoTokens<BufferSlice> {
    const { logp, logpOld, logpRef, adv, mask } = t;
    return {
      logp: this.s(logp),
      logpOld: this.s(logpOld),
      logpRef: this.s(logpRef),
      adv: this.s(adv),
      mask: this.s(mask),
    };
  }
}
