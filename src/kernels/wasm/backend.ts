// The WebAssembly backend: every tensor lives in one WebAssembly.Memory (the arena), ops run
// immediately as wasm kernels over byte addresses (SIMD128 where the op is hot). It extends
// the CPU reference backend for storage and readback only: its kernels table holds a wasm
// kernel for every op (typed as the whole table, so a new op cannot fall back unnoticed).
import type { Activation, DType, MatmulOptions, ReduceKind, Tensor } from '../backend';
import { KernelError } from '../backend';
import { checkIds } from '../cpu/embedding';
import { checkTarget } from '../cpu/loss';
import { clipFactor } from '../cpu/optim';
import { CpuBackend } from '../cpu/backend';
import type { CpuTensor } from '../cpu/tensor';
import type { Kernels } from '../kernel-backend';
import { validateStorage, type MatmulDims } from '../validate';
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
    const { size } = validateStorage.tensor(shape, dtype);
    const bytes = size * 4;
    const address = this.arena.alloc(bytes);
    const block = new WasmStorage(this.arena, address, bytes);
    const t = new WasmTensor(this.nextId++, name, [...shape], dtype, size, 0, block, true);
    t.array().fill(0);
    return t;
  }

  override view(parent: Tensor, offset: number, shape: readonly number[], name?: string): Tensor {
    const { size } = validateStorage.view(parent, offset, shape);
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
    validateStorage.release(t);
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

  /** Every op as a wasm kernel: none falls back to the reference math (the type says so). */
  protected override readonly kernels: Kernels = this.simd();

  /** The wasm kernels of every op, over byte addresses in the arena. */
  private simd(): Kernels {
    const at = (op: string, t: Tensor) => this.at(op, t);
    const all = <T extends Tensor[]>(op: string, ts: [...T]) =>
      ts.map((t) => this.at(op, t)) as { [K in keyof T]: number };
    return {
      zero: (_, t) => this.k.zeroBytes(at('zero', t), t.size * 4),
      copy: ({ n }, out, a) => this.k.copyBytes(at('copy', out), at('copy', a), n * 4),

      // ---- linear algebra ----
      matmul: (d, out, a, b, opts = {}) => this.matmulKernel(d, out, a, b, opts),
      biasAdd: (d, out, x, bias) => this.k.biasAdd(...all('biasAdd', [out, x, bias]), d.R, d.C),
      biasBackward: (d, dbias, dout) =>
        this.k.biasBackward(...all('biasBackward', [dbias, dout]), d.R, d.C),

      // ---- elementwise ----
      add: ({ n }, out, a, b) => this.k.add(...all('add', [out, a, b]), n),
      mul: ({ n }, out, a, b) => this.k.mul(...all('mul', [out, a, b]), n),
      scale: ({ n }, out, a, s) => this.k.scale(at('scale', out), at('scale', a), s, n),
      activation: ({ n }, kind, out, x) =>
        this.k.activationForward(ACTIVATIONS[kind], ...all('activation', [out, x]), n),
      activationBackward: ({ n }, kind, dx, x, dout) => {
        const ps = all('activationBackward', [dx, x, dout]);
        this.k.activationBackward(ACTIVATIONS[kind], ...ps, n);
      },

      // ---- normalisation ----
      layerNorm: (d, t) => {
        const ps = all('layerNorm', [t.out, t.mean, t.rstd, t.x, t.w, t.b]);
        this.k.layerNormForward(...ps, d.R, d.C, d.eps);
      },
      layerNormBackward: (d, t) => {
        const ts = all('layerNormBackward', [t.dx, t.dw, t.db, t.dout, t.x, t.w, t.mean, t.rstd]);
        this.k.layerNormBackward(...ts, d.R, d.C);
      },
      softmax: (d, out, x) => this.k.softmaxForward(...all('softmax', [out, x]), d.R, d.C),
      logSoftmax: (d, out, x) => this.k.logSoftmaxForward(...all('logSoftmax', [out, x]), d.R, d.C),
      softmaxBackward: (d, dx, y, dy) =>
        this.k.softmaxBackward(...all('softmaxBackward', [dx, y, dy]), d.R, d.C),
      logSoftmaxBackward: (d, dx, y, dy) =>
        this.k.logSoftmaxBackward(...all('logSoftmaxBackward', [dx, y, dy]), d.R, d.C),

      // ---- reductions ----
      reduce: (d, kind, out, x) =>
        this.k.reduceRows(REDUCTIONS[kind], ...all('reduce', [out, x]), d.R, d.C),

      // ---- attention ----
      attention: (d, out, att, qkv, prefixLen) => {
        const prefix = prefixLen ? at('attention', prefixLen) : 0;
        const [po, pa, pq] = all('attention', [out, att, qkv]);
        if (this.pool && d.B > 1 && attentionWork(d) >= this.splitMinWork) {
          this.pool.run(OP_ATTENTION, [po, pa, pq, prefix, d.B, d.T, d.NH, d.HS]);
          return;
        }
        this.k.attentionForward(po, pa, pq, prefix, d.B, d.T, d.NH, d.HS);
      },
      attentionBackward: (d, dqkv, datt, dout, qkv, att) => {
        const ps = all('attentionBackward', [dqkv, datt, dout, qkv, att]);
        if (this.pool && d.B > 1 && attentionWork(d) >= this.splitMinWork) {
          this.pool.run(OP_ATTENTION_BACKWARD, [...ps, d.B, d.T, d.NH, d.HS]);
          return;
        }
        this.k.attentionBackward(...ps, d.B, d.T, d.NH, d.HS);
      },
      attentionStep: (d, out, qkv, _pos, prefixLen) => {
        const prefix = prefixLen ? at('attentionStep', prefixLen) : 0;
        const scores = this.scratchFor(d.T * 4);
        const [po, pq] = all('attentionStep', [out, qkv]);
        this.k.attentionStep(po, pq, prefix, d.pos, d.B, d.T, d.NH, d.HS, scores);
      },

      // ---- embeddings and token losses ----
      embedding: (d, out, ids, table) => {
        checkIds('embedding', this.i('embedding', ids), d.V, false);
        this.k.embeddingForward(...all('embedding', [out, ids, table]), d.N, d.C);
      },
      embeddingBackward: (d, dtable, dout, ids) => {
        const op = 'embeddingBackward';
        checkIds(op, this.i(op, ids), d.V, false);
        this.k.embeddingBackward(...all(op, [dtable, dout, ids]), d.N, d.C);
      },
      gatherRows: (d, out, logp, ids) => {
        checkIds('gatherRows', this.i('gatherRows', ids), d.V, true);
        this.k.gatherRowsForward(...all('gatherRows', [out, logp, ids]), d.N, d.V);
      },
      gatherRowsBackward: (d, dlogp, dout, ids) => {
        const op = 'gatherRowsBackward';
        checkIds(op, this.i(op, ids), d.V, true);
        this.k.gatherRowsBackward(...all(op, [dlogp, dout, ids]), d.N, d.V);
      },
      crossEntropy: (d, losses, probs, logits, targets) => {
        const op = 'crossEntropy';
        this.checkTargets(op, targets, d.V);
        this.k.crossEntropyForward(...all(op, [losses, probs, logits, targets]), d.N, d.V);
      },
      crossEntropyBackward: (d, dlogits, probs, targets, dlosses) => {
        const op = 'crossEntropyBackward';
        this.checkTargets(op, targets, d.V);
        this.k.crossEntropyBackward(...all(op, [dlogits, probs, targets, dlosses]), d.N, d.V);
      },

      // ---- optimisation ----
      l2Norm: ({ n }, out, x) => this.k.l2Norm(at('l2Norm', out), at('l2Norm', x), n),
      adamw: ({ n }, params, grads, m, v, s) => {
        const [c1, c2] = [1 - Math.pow(s.beta1, s.step), 1 - Math.pow(s.beta2, s.step)];
        const ps = all('adamw', [params, grads, m, v]);
        this.k.adamw(...ps, n, s.lr, s.beta1, s.beta2, s.eps, s.weightDecay, c1, c2);
      },
      clipByNorm: ({ n }, grads, norm, maxNorm) => {
        const factor = clipFactor(this.f('clipByNorm', norm)[0], maxNorm);
        if (factor !== 1) this.k.scaleGrads(at('clipByNorm', grads), factor, n);
      },

      // ---- GRPO ----
      groupNormalize: (d, adv, rewards) =>
        this.k.groupNormalize(...all('groupNormalize', [adv, rewards]), d.N, d.G, d.eps),
      grpoTokenLoss: (d, loss, dlogp, t) => {
        const tokens = [t.logp, t.logpOld, t.logpRef, t.adv, t.mask] as const;
        const ps = all('grpoTokenLoss', [loss, dlogp, ...tokens]);
        this.k.grpoTokenLoss(...ps, d.N, d.clipEps, d.beta, d.normaliser);
      },
      grpoTokenStats: (d, kl, clipped, t) => {
        const tokens = [t.logp, t.logpOld, t.logpRef, t.adv, t.mask] as const;
        this.k.grpoTokenStats(...all('grpoTokenStats', [kl, clipped, ...tokens]), d.N, d.clipEps);
      },

      // ---- reinforcement-learning reductions ----
      discountedSum: ({ B, H }, out, rewards, gamma) =>
        this.k.discountedSum(...all('discountedSum', [out, rewards]), gamma, B, H),
      maskedMean: (d, out, x, mask) =>
        this.k.maskedMeanForward(...all('maskedMean', [out, x, mask]), d.B, d.T),
      maskedMeanBackward: (d, dx, dout, mask) =>
        this.k.maskedMeanBackward(...all('maskedMeanBackward', [dx, dout, mask]), d.B, d.T),

      // ---- decoding ----
      writeRow: (d, dst, src) =>
        this.k.writeRow(...all('writeRow', [dst, src]), d.B, d.T, d.W, d.pos),
      sampleTokens: (d, ids, logp, logits, uniforms, temperature, topP) => {
        const op = 'sampleTokens';
        const u = this.f(op, uniforms);
        for (let b = 0; b < u.length; b++) {
          if (!(u[b] >= 0 && u[b] < 1))
            throw new KernelError(op, `uniforms[${b}] = ${u[b]} is not in [0,1)`);
        }
        const ps = all(op, [ids, logp, logits, uniforms]);
        // The nucleus (topP < 1) needs a sort: weights, an order and flags in scratch.
        const bad =
          topP < 1 && temperature > 0
            ? this.k.sampleTokensTopP(...ps, d.B, d.V, temperature, topP, this.scratchFor(13 * d.V))
            : this.k.sampleTokens(...ps, d.B, d.V, temperature);
        if (bad >= 0) {
          const row = this.f(op, logits).subarray(bad * d.V, (bad + 1) * d.V);
          const max = row.reduce((m, v) => Math.max(m, v), -Infinity);
          throw new KernelError(op, `logits row ${bad} has no finite maximum (${max})`);
        }
      },
    };
  }

  /** out = op(a)·op(b), split over the threads when it is large enough to pay for them. */
  private matmulKernel(
    d: MatmulDims,
    out: Tensor,
    a: Tensor,
    b: Tensor,
    opts: MatmulOptions,
  ): void {
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
