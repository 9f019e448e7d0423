// The WebAssembly backend: every tensor lives in one WebAssembly.Memory (the arena), ops run
// immediately as SIMD128 kernels over byte addresses. It extends the CPU reference backend:
// validation and any op without a wasm kernel yet run the reference math on arena views
// (same memory, no copies); the ops overridden here are the wasm kernels.
import type { DType, MatmulOptions, Tensor } from '../backend';
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
  /** Per-call scratch of the matmul kernel (packed panels), grown on demand. */
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
}
