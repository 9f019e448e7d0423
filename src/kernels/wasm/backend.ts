// The WebAssembly backend: every tensor lives in one WebAssembly.Memory (the arena), ops run
// immediately as SIMD128 kernels over byte addresses. It extends the CPU reference backend:
// validation and any op without a wasm kernel yet run the reference math on arena views
// (same memory, no copies); the ops overridden here are the wasm kernels.
import type {
  Activation,
  AttentionShape,
  DType,
  MatmulOptions,
  ReduceKind,
  Tensor,
} from '../backend';
import { KernelError } from '../backend';
import { checkTarget } from '../cpu/loss';
import { CpuBackend } from '../cpu/backend';
import type { CpuTensor } from '../cpu/tensor';
import { validate } from '../validate';
import { Arena } from './arena';
import { instantiateKernels, kernelModule, SHARED_MAX_PAGES, type WasmKernels } from './module';
import {
  CONTROL_INTS,
  OP_ATTENTION,
  OP_ATTENTION_BACKWARD,
  OP_MATMUL,
  ThreadPool,
  threadsAvailable,
  type ShareKernels,
} from './threads';
import { asWasm, WasmStorage, WasmTensor } from './tensor';

/** Initial arena: 16 MiB; it grows as tensors are allocated. */
const INITIAL_PAGES = 256;
/**
 * Ops smaller than this many multiply-adds (about 0.1 ms on one thread) stay on one thread:
 * waking a worker costs microseconds on an idle machine but up to a scheduler slice on a
 * busy one, which the decode loop's small ops (one row per sequence) would pay every call.
 */
const SPLIT_MIN_WORK = 1 << 21;

export interface WasmBackendOptions {
  /** Threads to split large ops over (default 1). More than 1 needs SharedArrayBuffer. */
  threads?: number;
  /** Multiply-adds from which an op is split over the threads (tests lower it to split all). */
  splitMinWork?: number;
}

export class WasmBackend extends CpuBackend {
  override readonly kind = 'wasm' as const;
  override readonly description: string;
  /** Per-call scratch of the kernels (packed matmul panels, decode scores), grown on demand. */
  private scratch = 0;
  private scratchBytes = 0;

  private pool: ThreadPool | null = null;

  private constructor(
    readonly k: WasmKernels,
    readonly arena: Arena,
    /** Why this backend runs on fewer threads than asked for, if it does. */
    readonly threadNote: string | null,
    private readonly splitMinWork: number,
  ) {
    super();
    this.description = 'WebAssembly SIMD, 1 thread';
  }

  /**
   * A backend on `threads` threads. Without SharedArrayBuffer (a page that is not
   * cross-origin isolated) it runs on one thread and says why in `threadNote`.
   */
  static async create(opts: WasmBackendOptions = {}): Promise<WasmBackend> {
    const wanted = Math.max(1, Math.floor(opts.threads ?? 1));
    const shared = wanted > 1 && threadsAvailable();
    const note =
      wanted > 1 && !shared
        ? 'one thread: threads need SharedArrayBuffer, i.e. a cross-origin-isolated page (COOP/COEP headers)'
        : null;
    const memory = new WebAssembly.Memory(
      shared
        ? { initial: INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true }
        : { initial: INITIAL_PAGES },
    );
    const k = await instantiateKernels(memory, shared);
    const split = opts.splitMinWork ?? SPLIT_MIN_WORK;
    const be = new WasmBackend(k, new Arena(memory, k.heapBase()), note, split);
    if (shared) {
      const ctrl = be.arena.alloc(CONTROL_INTS * 4);
      const kernels = k as unknown as ShareKernels;
      be.pool = await ThreadPool.create(await kernelModule(true), memory, ctrl, kernels, wanted);
      (be as { description: string }).description = `WebAssembly SIMD, ${wanted} threads`;
    }
    return be;
  }

  /** Threads large ops are split over. */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  protected override own(op: string, t: Tensor): CpuTensor {
    return asWasm(op, t);
  }

  /** Byte address of t's first element (checks it belongs here). */
  private at(op: string, t: Tensor): number {
    return asWasm(op, t).address;
  }

  // ---- memory ----
  override tensor(shape: readonly number[], dtype: DType = 'f32', name = 'tensor'): Tensor {
    const { size } = validate.tensor(shape, dtype);
    const bytes = size * 4;
    const address = this.arena.alloc(bytes);
    const block = new WasmStorage(this.arena, address, bytes);
    const t = new WasmTensor(this.nextId++, name, [...shape], dtype, size, 0, block, true);
    t.array().fill(0);
    return t;
  }

  override view(parent: Tensor, offset: number, shape: readonly number[], name?: string): Tensor {
    const { size } = validate.view(parent, offset, shape);
    const p = asWasm('view', parent);
    const viewName = name ?? `${p.name}[${offset}:${offset + size}]`;
    const { dtype, block } = p;
    return new WasmTensor(
      this.nextId++,
      viewName,
      [...shape],
      dtype,
      size,
      p.offset + offset,
      block,
      false,
    );
  }

  override release(t: Tensor): void {
    validate.release(t);
    const w = asWasm('release', t);
    w.markReleased();
    if (w.owner) this.arena.release(w.block.address, w.block.bytes);
  }

  override destroy(): void {
    this.pool?.destroy();
    this.pool = null;
    this.scratch = 0;
    this.scratchBytes = 0;
  }

  /** A scratch block of at least `bytes` (reused across calls). */
  private scratchFor(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes > 0) this.arena.release(this.scratch, this.scratchBytes);
      this.scratch = this.arena.alloc(bytes);
      this.scratchBytes = bytes;
    }
    return this.scratch;
  }

  // ---- linear algebra ----
  override matmul(out: Tensor, a: Tensor, b: Tensor, opts: MatmulOptions = {}): void {
    const d = validate.matmul(out, a, b, opts);
    const op = 'matmul';
    const perThread = this.k.matmulScratchBytes(d.N);
    const pool = this.pool;
    if (pool && d.M >= 8 * pool.threads && d.batch * d.M * d.N * d.K >= this.splitMinWork) {
      const stride = Math.ceil(perThread / 64) * 64;
      const scratch = this.scratchFor(stride * pool.threads);
      const [po, pa, pb] = [out, a, b].map((t) => this.at(op, t));
      const flags = [opts.transA, opts.transB, opts.accumulate, d.bBatched].map(Number);
      pool.run(OP_MATMUL, [po, pa, pb, d.batch, d.M, d.N, d.K, ...flags, scratch, stride]);
      return;
    }
    const scratch = this.scratchFor(perThread);
    this.k.matmulRows(
      this.at(op, out),
      this.at(op, a),
      this.at(op, b),
      d.batch,
      d.M,
      d.N,
      d.K,
      opts.transA ?? false,
      opts.transB ?? false,
      opts.accumulate ?? false,
      d.bBatched,
      scratch,
      0,
      d.M,
    );
  }

  override biasAdd(out: Tensor, x: Tensor, bias: Tensor): void {
    const d = validate.biasAdd(out, x, bias);
    const op = 'biasAdd';
    this.k.biasAdd(this.at(op, out), this.at(op, x), this.at(op, bias), d.R, d.C);
  }

  override biasBackward(dbias: Tensor, dout: Tensor): void {
    const d = validate.biasBackward(dbias, dout);
    const op = 'biasBackward';
    this.k.biasBackward(this.at(op, dbias), this.at(op, dout), d.R, d.C);
  }

  // ---- elementwise ----
  override add(out: Tensor, a: Tensor, b: Tensor): void {
    const { n } = validate.add(out, a, b);
    this.k.add(this.at('add', out), this.at('add', a), this.at('add', b), n);
  }

  override mul(out: Tensor, a: Tensor, b: Tensor): void {
    const { n } = validate.mul(out, a, b);
    this.k.mul(this.at('mul', out), this.at('mul', a), this.at('mul', b), n);
  }

  override scale(out: Tensor, a: Tensor, s: number): void {
    const { n } = validate.scale(out, a, s);
    this.k.scale(this.at('scale', out), this.at('scale', a), s, n);
  }

  override activation(kind: Activation, out: Tensor, x: Tensor): void {
    const { n } = validate.activation(kind, out, x);
    const op = 'activation';
    this.k.activationForward(ACTIVATIONS[kind], this.at(op, out), this.at(op, x), n);
  }

  override activationBackward(kind: Activation, dx: Tensor, x: Tensor, dout: Tensor): void {
    const { n } = validate.activationBackward(kind, dx, x, dout);
    const op = 'activationBackward';
    const [pdx, px, pd] = [dx, x, dout].map((t) => this.at(op, t));
    this.k.activationBackward(ACTIVATIONS[kind], pdx, px, pd, n);
  }

  // ---- normalisation ----
  override layerNorm(
    out: Tensor,
    mean: Tensor,
    rstd: Tensor,
    x: Tensor,
    w: Tensor,
    b: Tensor,
    eps?: number,
  ): void {
    const d = validate.layerNorm(out, mean, rstd, x, w, b, eps);
    const op = 'layerNorm';
    const [p0, p1, p2, p3, p4, p5] = [out, mean, rstd, x, w, b].map((t) => this.at(op, t));
    this.k.layerNormForward(p0, p1, p2, p3, p4, p5, d.R, d.C, d.eps);
  }

  override layerNormBackward(
    dx: Tensor,
    dw: Tensor,
    db: Tensor,
    dout: Tensor,
    x: Tensor,
    w: Tensor,
    mean: Tensor,
    rstd: Tensor,
  ): void {
    const d = validate.layerNormBackward(dx, dw, db, dout, x, w, mean, rstd);
    const op = 'layerNormBackward';
    const ps = [dx, dw, db, dout, x, w, mean, rstd].map((t) => this.at(op, t));
    this.k.layerNormBackward(ps[0], ps[1], ps[2], ps[3], ps[4], ps[5], ps[6], ps[7], d.R, d.C);
  }

  override softmax(out: Tensor, x: Tensor): void {
    const d = validate.softmax(out, x);
    this.k.softmaxForward(this.at('softmax', out), this.at('softmax', x), d.R, d.C);
  }

  override logSoftmax(out: Tensor, x: Tensor): void {
    const d = validate.logSoftmax(out, x);
    this.k.logSoftmaxForward(this.at('logSoftmax', out), this.at('logSoftmax', x), d.R, d.C);
  }

  // ---- reductions ----
  override reduce(kind: ReduceKind, out: Tensor, x: Tensor): void {
    const d = validate.reduce(kind, out, x);
    this.k.reduceRows(REDUCTIONS[kind], this.at('reduce', out), this.at('reduce', x), d.R, d.C);
  }

  // ---- attention ----
  override attention(
    out: Tensor,
    att: Tensor,
    qkv: Tensor,
    prefixLen: Tensor | null,
    shape: AttentionShape,
  ): void {
    const d = validate.attention(out, att, qkv, prefixLen, shape);
    const op = 'attention';
    const prefix = prefixLen ? this.at(op, prefixLen) : 0;
    const [po, pa, pq] = [out, att, qkv].map((t) => this.at(op, t));
    if (this.pool && d.B > 1 && attentionWork(d) >= this.splitMinWork) {
      this.pool.run(OP_ATTENTION, [po, pa, pq, prefix, d.B, d.T, d.NH, d.HS]);
      return;
    }
    this.k.attentionForward(po, pa, pq, prefix, d.B, d.T, d.NH, d.HS);
  }

  override attentionBackward(
    dqkv: Tensor,
    datt: Tensor,
    dout: Tensor,
    qkv: Tensor,
    att: Tensor,
    shape: AttentionShape,
  ): void {
    const d = validate.attentionBackward(dqkv, datt, dout, qkv, att, shape);
    const op = 'attentionBackward';
    const [p0, p1, p2, p3, p4] = [dqkv, datt, dout, qkv, att].map((t) => this.at(op, t));
    if (this.pool && d.B > 1 && attentionWork(d) >= this.splitMinWork) {
      this.pool.run(OP_ATTENTION_BACKWARD, [p0, p1, p2, p3, p4, d.B, d.T, d.NH, d.HS]);
      return;
    }
    this.k.attentionBackward(p0, p1, p2, p3, p4, d.B, d.T, d.NH, d.HS);
  }

  override attentionStep(
    out: Tensor,
    qkv: Tensor,
    pos: number,
    prefixLen: Tensor | null,
    shape: AttentionShape,
  ): void {
    const d = validate.attentionStep(out, qkv, pos, prefixLen, shape);
    const op = 'attentionStep';
    const prefix = prefixLen ? this.at(op, prefixLen) : 0;
    const scores = this.scratchFor(d.T * 4);
    const [po, pq] = [out, qkv].map((t) => this.at(op, t));
    this.k.attentionStep(po, pq, prefix, d.pos, d.B, d.T, d.NH, d.HS, scores);
  }

  // ---- token losses ----
  override crossEntropy(losses: Tensor, probs: Tensor, logits: Tensor, targets: Tensor): void {
    const d = validate.crossEntropy(losses, probs, logits, targets);
    const op = 'crossEntropy';
    this.checkTargets(op, targets, d.V);
    const [pl, pp, px, pt] = [losses, probs, logits, targets].map((t) => this.at(op, t));
    this.k.crossEntropyForward(pl, pp, px, pt, d.N, d.V);
  }

  override crossEntropyBackward(
    dlogits: Tensor,
    probs: Tensor,
    targets: Tensor,
    dlosses: Tensor,
  ): void {
    const d = validate.crossEntropyBackward(dlogits, probs, targets, dlosses);
    const op = 'crossEntropyBackward';
    this.checkTargets(op, targets, d.V);
    const [pd, pp, pt, pg] = [dlogits, probs, targets, dlosses].map((t) => this.at(op, t));
    this.k.crossEntropyBackward(pd, pp, pt, pg, d.N, d.V);
  }

  // ---- decoding ----
  /** topP < 1 (a sort for the nucleus) runs the reference; the common topP = 1 is a kernel. */
  override sampleTokens(
    ids: Tensor,
    logp: Tensor,
    logits: Tensor,
    uniforms: Tensor,
    temperature: number,
    topP: number,
  ): void {
    if (topP < 1) return super.sampleTokens(ids, logp, logits, uniforms, temperature, topP);
    const d = validate.sampleTokens(ids, logp, logits, uniforms, temperature, topP);
    const op = 'sampleTokens';
    const u = this.f(op, uniforms);
    for (let b = 0; b < u.length; b++) {
      if (!(u[b] >= 0 && u[b] < 1))
        throw new KernelError(op, `uniforms[${b}] = ${u[b]} is not in [0,1)`);
    }
    const [pi, pl, px, pu] = [ids, logp, logits, uniforms].map((t) => this.at(op, t));
    const bad = this.k.sampleTokens(pi, pl, px, pu, d.B, d.V, temperature);
    if (bad >= 0) {
      const row = this.f(op, logits).subarray(bad * d.V, (bad + 1) * d.V);
      const max = row.reduce((m, v) => Math.max(m, v), -Infinity);
      throw new KernelError(op, `logits row ${bad} has no finite maximum (${max})`);
    }
  }

  /** Targets must be −1 or a valid class (checked in JS; kernels trust their indices). */
  private checkTargets(op: string, targets: Tensor, V: number): void {
    const ids = this.i(op, targets);
    for (let n = 0; n < ids.length; n++) checkTarget(op, ids[n], n, V);
  }
}

/** Multiply-adds of one attention pass (scores and weighted sum, every head). */
function attentionWork(d: { B: number; T: number; NH: number; HS: number }): number {
  return 2 * d.B * d.NH * d.T * d.T * d.HS;
}

/** Activation codes of the wasm kernels. */
const ACTIVATIONS: Record<Activation, number> = { gelu: 0, relu: 1, tanh: 2 };

/** Reduction codes of the wasm kernels. */
const REDUCTIONS: Record<ReduceKind, number> = { sum: 0, mean: 1, max: 2 };
