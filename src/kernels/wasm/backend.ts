// The WebAssembly backend: every tensor lives in one WebAssembly.Memory (the arena), ops run
// immediately as SIMD128 kernels over byte addresses. It extends the CPU reference backend:
// validation and any op without a wasm kernel yet run the reference math on arena views
// (same memory, no copies); the ops overridden here are the wasm kernels.
import type { Activation, AttentionShape, DType, MatmulOptions, Tensor } from '../backend';
import { checkTarget } from '../cpu/loss';
import { CpuBackend } from '../cpu/backend';
import type { CpuTensor } from '../cpu/tensor';
import { validate } from '../validate';
import { Arena } from './arena';
import { instantiateKernels, type WasmKernels } from './module';
import { asWasm, WasmStorage, WasmTensor } from './tensor';

/** Initial arena: 16 MiB; it grows as tensors are allocated. */
const INITIAL_PAGES = 256;

export class WasmBackend extends CpuBackend {
  override readonly kind = 'wasm' as const;
  override readonly description: string;
  /** Per-call scratch of the kernels (packed matmul panels, decode scores), grown on demand. */
  private scratch = 0;
  private scratchBytes = 0;

  private constructor(
    readonly k: WasmKernels,
    readonly arena: Arena,
  ) {
    super();
    this.description = 'WebAssembly SIMD, 1 thread';
  }

  static async create(): Promise<WasmBackend> {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES });
    const k = await instantiateKernels(memory);
    return new WasmBackend(k, new Arena(memory, k.heapBase()));
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
    const scratch = this.scratchFor(this.k.matmulScratchBytes(d.N));
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

  // ---- elementwise ----
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

  /** Targets must be −1 or a valid class (checked in JS; kernels trust their indices). */
  private checkTargets(op: string, targets: Tensor, V: number): void {
    const ids = this.i(op, targets);
    for (let n = 0; n < ids.length; n++) checkTarget(op, ids[n], n, V);
  }
}

/** Activation codes of the wasm kernels. */
const ACTIVATIONS: Record<Activation, number> = { gelu: 0, relu: 1, tanh: 2 };
