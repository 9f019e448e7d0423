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
//   3. Here: add the method to the Backend interface and this class: `validate.<op>(…)` first,
//      then the wrapper call with `this.s(t)` slices and the dims validate returned.
//   4. src/kernels/cases/<op>.cases.ts with OpCases (odd sizes included); the parity test
//      tests/kernels/<op>.test.ts runs them against the CPU backend.
// Never wait on the GPU inside an op; read()/sync() are the only awaits.

import {
  sizeOf,
  type Activation,
  type AdamWSettings,
  type AttentionShape,
  type Backend,
  type DType,
  type MatmulOptions,
  type ReduceKind,
  type Tensor,
} from './backend';
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
import { validate } from './validate';

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

export class WebGpuBackend implements Backend {
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
    const { size } = validate.tensor(shape, dtype);
    const { buf, reused } = this.rt.alloc(size * 4);
    const t = new GpuTensor(this.nextId++, name, [...shape], dtype, 0, new GpuStorage(buf), false);
    // Fresh GPU buffers are zeroed by WebGPU; a reused one still holds its last tensor.
    if (reused) zeroOp(this.rt, t.slice, size);
    return t;
  }

  view(parent: Tensor, offset: number, shape: readonly number[], name?: string): Tensor {
    validate.view(parent, offset, shape, VIEW_ALIGNMENT_ELEMENTS);
    const p = parent as GpuTensor;
    const start = p.offset + offset;
    const viewName = name ?? `${p.name}[${offset}:${offset + sizeOf(shape)}]`;
    return new GpuTensor(this.nextId++, viewName, [...shape], p.dtype, start, p.storage, true);
  }

  write(t: Tensor, data: Float32Array | Int32Array | readonly number[]): void {
    validate.write(t, data);
    const typed =
      data instanceof Float32Array || data instanceof Int32Array
        ? data
        : t.dtype === 'f32'
          ? Float32Array.from(data)
          : Int32Array.from(data);
    this.rt.write(this.s(t), typed);
  }

  async read(t: Tensor): Promise<Float32Array | Int32Array> {
    validate.read(t);
    const bytes = await this.rt.read(this.s(t), `read '${t.name}'`);
    return t.dtype === 'f32' ? new Float32Array(bytes) : new Int32Array(bytes);
  }

  zero(t: Tensor): void {
    validate.zero(t);
    zeroOp(this.rt, this.s(t), t.size);
  }

  copy(out: Tensor, a: Tensor): void {
    const { n } = validate.copy(out, a);
    copyOp(this.rt, this.s(out), this.s(a), n);
  }

  release(t: Tensor): void {
    validate.release(t);
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

  // ---- linear algebra ----

  matmul(out: Tensor, a: Tensor, b: Tensor, opts: MatmulOptions = {}): void {
    const dims = validate.matmul(out, a, b, opts);
    matmulOp(this.rt, this.matmulImpl, this.s(out), this.s(a), this.s(b), dims, opts);
  }

  biasAdd(out: Tensor, x: Tensor, bias: Tensor): void {
    const { R, C } = validate.biasAdd(out, x, bias);
    biasOps.biasAdd(this.rt, this.s(out), this.s(x), this.s(bias), R, C);
  }

  biasBackward(dbias: Tensor, dout: Tensor): void {
    const { R, C } = validate.biasBackward(dbias, dout);
    biasOps.biasBackward(this.rt, this.s(dbias), this.s(dout), R, C);
  }

  // ---- elementwise ----

  add(out: Tensor, a: Tensor, b: Tensor): void {
    const { n } = validate.add(out, a, b);
    elementwiseOps.add(this.rt, this.s(out), this.s(a), this.s(b), n);
  }

  mul(out: Tensor, a: Tensor, b: Tensor): void {
    const { n } = validate.mul(out, a, b);
    elementwiseOps.mul(this.rt, this.s(out), this.s(a), this.s(b), n);
  }

  scale(out: Tensor, a: Tensor, s: number): void {
    const { n } = validate.scale(out, a, s);
    elementwiseOps.scale(this.rt, this.s(out), this.s(a), s, n);
  }

  activation(kind: Activation, out: Tensor, x: Tensor): void {
    const { n } = validate.activation(kind, out, x);
    activationOps.activation(this.rt, kind, this.s(out), this.s(x), n);
  }

  activationBackward(kind: Activation, dx: Tensor, x: Tensor, dout: Tensor): void {
    const { n } = validate.activationBackward(kind, dx, x, dout);
    activationOps.activationBackward(this.rt, kind, this.s(dx), this.s(x), this.s(dout), n);
  }

  // ---- normalisation ----

  layerNorm(
    out: Tensor,
    mean: Tensor,
    rstd: Tensor,
    x: Tensor,
    w: Tensor,
    b: Tensor,
    eps?: number,
  ): void {
    const d = validate.layerNorm(out, mean, rstd, x, w, b, eps);
    const [o, m, r] = [this.s(out), this.s(mean), this.s(rstd)];
    layerNormOps.layerNorm(this.rt, o, m, r, this.s(x), this.s(w), this.s(b), d.R, d.C, d.eps);
  }

  layerNormBackward(
    dx: Tensor,
    dw: Tensor,
    db: Tensor,
    dout: Tensor,
    x: Tensor,
    w: Tensor,
    mean: Tensor,
    rstd: Tensor,
  ): void {
    const { R, C } = validate.layerNormBackward(dx, dw, db, dout, x, w, mean, rstd);
    const grads = [this.s(dx), this.s(dw), this.s(db)] as const;
    const saved = [this.s(x), this.s(w), this.s(mean), this.s(rstd)] as const;
    layerNormOps.layerNormBackward(this.rt, ...grads, this.s(dout), ...saved, R, C);
  }

  softmax(out: Tensor, x: Tensor): void {
    const { R, C } = validate.softmax(out, x);
    softmaxOps.softmaxForward(this.rt, 'softmax', this.s(out), this.s(x), R, C);
  }

  softmaxBackward(dx: Tensor, y: Tensor, dy: Tensor): void {
    const { R, C } = validate.softmaxBackward(dx, y, dy);
    softmaxOps.softmaxBackward(this.rt, 'softmax', this.s(dx), this.s(y), this.s(dy), R, C);
  }

  logSoftmax(out: Tensor, x: Tensor): void {
    const { R, C } = validate.logSoftmax(out, x);
    softmaxOps.softmaxForward(this.rt, 'logSoftmax', this.s(out), this.s(x), R, C);
  }

  logSoftmaxBackward(dx: Tensor, y: Tensor, dy: Tensor): void {
    const { R, C } = validate.logSoftmaxBackward(dx, y, dy);
    softmaxOps.softmaxBackward(this.rt, 'logSoftmax', this.s(dx), this.s(y), this.s(dy), R, C);
  }

  // ---- attention ----

  attention(
    out: Tensor,
    att: Tensor,
    qkv: Tensor,
    prefixLen: Tensor | null,
    shape: AttentionShape,
  ): void {
    const d = validate.attention(out, att, qkv, prefixLen, shape);
    const prefix = prefixLen ? this.s(prefixLen) : null;
    attentionOps.attention(this.rt, this.s(out), this.s(att), this.s(qkv), prefix, d);
  }

  attentionBackward(
    dqkv: Tensor,
    datt: Tensor,
    dout: Tensor,
    qkv: Tensor,
    att: Tensor,
    shape: AttentionShape,
  ): void {
    const d = validate.attentionBackward(dqkv, datt, dout, qkv, att, shape);
    const [g, scratch] = [this.s(dqkv), this.s(datt)];
    attentionOps.attentionBackward(this.rt, g, scratch, this.s(dout), this.s(qkv), this.s(att), d);
  }

  // ---- embeddings and token losses ----

  embedding(out: Tensor, ids: Tensor, table: Tensor): void {
    const { N, V, C } = validate.embedding(out, ids, table);
    embeddingOps.embedding(this.rt, this.s(out), this.s(ids), this.s(table), N, V, C);
  }

  embeddingBackward(dtable: Tensor, dout: Tensor, ids: Tensor): void {
    const { N, V, C } = validate.embeddingBackward(dtable, dout, ids);
    embeddingOps.embeddingBackward(this.rt, this.s(dtable), this.s(dout), this.s(ids), N, V, C);
  }

  gatherRows(out: Tensor, logp: Tensor, ids: Tensor): void {
    const { N, V } = validate.gatherRows(out, logp, ids);
    gatherOps.gatherRows(this.rt, this.s(out), this.s(logp), this.s(ids), N, V);
  }

  gatherRowsBackward(dlogp: Tensor, dout: Tensor, ids: Tensor): void {
    const { N, V } = validate.gatherRowsBackward(dlogp, dout, ids);
    gatherOps.gatherRowsBackward(this.rt, this.s(dlogp), this.s(dout), this.s(ids), N, V);
  }

  crossEntropy(losses: Tensor, probs: Tensor, logits: Tensor, targets: Tensor): void {
    const { N, V } = validate.crossEntropy(losses, probs, logits, targets);
    const [l, pr] = [this.s(losses), this.s(probs)];
    crossEntropyOps.crossEntropy(this.rt, l, pr, this.s(logits), this.s(targets), N, V);
  }

  crossEntropyBackward(dlogits: Tensor, probs: Tensor, targets: Tensor, dlosses: Tensor): void {
    const { N, V } = validate.crossEntropyBackward(dlogits, probs, targets, dlosses);
    const [g, pr, t] = [this.s(dlogits), this.s(probs), this.s(targets)];
    crossEntropyOps.crossEntropyBackward(this.rt, g, pr, t, this.s(dlosses), N, V);
  }

  reduce(kind: ReduceKind, out: Tensor, x: Tensor): void {
    const { R, C } = validate.reduce(kind, out, x);
    reduceOp(this.rt, kind, this.s(out), this.s(x), R, C);
  }

  /** l2Norm's per-workgroup partial sums; allocated on first use, reused by every call. */
  private l2Partials: BufferSlice | null = null;

  l2Norm(out: Tensor, x: Tensor): void {
    const { n } = validate.l2Norm(out, x);
    const bytes = MAX_PARTIALS * 4;
    this.l2Partials ??= { buf: this.rt.alloc(bytes).buf, byteOffset: 0, byteLength: bytes };
    l2NormOp(this.rt, this.s(out), this.s(x), this.l2Partials, n);
  }

  adamw(params: Tensor, grads: Tensor, m: Tensor, v: Tensor, s: AdamWSettings): void {
    const { n } = validate.adamw(params, grads, m, v, s);
    adamwOp(this.rt, this.s(params), this.s(grads), this.s(m), this.s(v), s, n);
  }

  clipByNorm(grads: Tensor, norm: Tensor, maxNorm: number): void {
    const { n } = validate.clipByNorm(grads, norm, maxNorm);
    clipByNormOp(this.rt, this.s(grads), this.s(norm), maxNorm, n);
  }

  groupNormalize(adv: Tensor, rewards: Tensor, G: number, eps?: number): void {
    const d = validate.groupNormalize(adv, rewards, G, eps);
    groupNormalizeOp(this.rt, this.s(adv), this.s(rewards), d.N, d.G, d.eps);
  }

  discountedSum(out: Tensor, rewards: Tensor, gamma: number): void {
    const { B, H } = validate.discountedSum(out, rewards, gamma);
    discountedSumOp(this.rt, this.s(out), this.s(rewards), gamma, B, H);
  }

  maskedMean(out: Tensor, x: Tensor, mask: Tensor): void {
    const { B, T } = validate.maskedMean(out, x, mask);
    maskedMeanOps.maskedMean(this.rt, this.s(out), this.s(x), this.s(mask), B, T);
  }

  maskedMeanBackward(dx: Tensor, dout: Tensor, mask: Tensor): void {
    const { B, T } = validate.maskedMeanBackward(dx, dout, mask);
    maskedMeanOps.maskedMeanBackward(this.rt, this.s(dx), this.s(dout), this.s(mask), B, T);
  }

  // ---- decoding and the GRPO token loss ----

  writeRow(dst: Tensor, src: Tensor, pos: number): void {
    const d = validate.writeRow(dst, src, pos);
    writeRowOp(this.rt, this.s(dst), this.s(src), d);
  }

  attentionStep(
    out: Tensor,
    qkv: Tensor,
    pos: number,
    prefixLen: Tensor | null,
    shape: AttentionShape,
  ): void {
    const d = validate.attentionStep(out, qkv, pos, prefixLen, shape);
    const prefix = prefixLen ? this.s(prefixLen) : null;
    attentionStepOp(this.rt, this.s(out), this.s(qkv), prefix, d);
  }

  sampleTokens(
    ids: Tensor,
    logp: Tensor,
    logits: Tensor,
    uniforms: Tensor,
    temperature: number,
    topP: number,
  ): void {
    const d = validate.sampleTokens(ids, logp, logits, uniforms, temperature, topP);
    const [i, lp, x, u] = [ids, logp, logits, uniforms].map((t) => this.s(t));
    sampleTokensOp(this.rt, i, lp, x, u, d);
  }

  grpoTokenLoss(
    loss: Tensor,
    dlogp: Tensor,
    logp: Tensor,
    logpOld: Tensor,
    logpRef: Tensor,
    adv: Tensor,
    mask: Tensor,
    clipEps: number,
    beta: number,
    normaliser: number,
  ): void {
    const ins = [logp, logpOld, logpRef, adv, mask] as const;
    const d = validate.grpoTokenLoss(loss, dlogp, ...ins, clipEps, beta, normaliser);
    grpoOps.grpoTokenLoss(this.rt, this.s(loss), this.s(dlogp), this.grpoTokens(...ins), d);
  }

  grpoTokenStats(
    kl: Tensor,
    clipped: Tensor,
    logp: Tensor,
    logpOld: Tensor,
    logpRef: Tensor,
    adv: Tensor,
    mask: Tensor,
    clipEps: number,
  ): void {
    const ins = [logp, logpOld, logpRef, adv, mask] as const;
    const d = validate.grpoTokenStats(kl, clipped, ...ins, clipEps);
    const tokens = this.grpoTokens(...ins);
    grpoOps.grpoTokenStats(this.rt, this.s(kl), this.s(clipped), tokens, d.N, d.clipEps);
  }

  private grpoTokens(
    logp: Tensor,
    logpOld: Tensor,
    logpRef: Tensor,
    adv: Tensor,
    mask: Tensor,
  ): grpoOps.GrpoTokens {
    const [lp, old, ref, a, m] = [logp, logpOld, logpRef, adv, mask].map((t) => this.s(t));
    return { logp: lp, logpOld: old, logpRef: ref, adv: a, mask: m };
  }
}
