// The one linear memory every wasm tensor lives in, and its allocator: first-fit over a
// sorted free list, 64-byte aligned blocks (a cache line; v128 loads need no alignment but
// rows that start on a line are faster), growing the memory when nothing fits. A training
// run allocates its pools once, so the free list stays short.

const ALIGN = 64;
const PAGE = 65536;

interface Block {
  at: number;
  bytes: number;
}

export class Arena {
  /** Free blocks sorted by address, coalesced. */
  private free: Block[] = [];
  private top: number;
  private f32View: Float32Array;
  private i32View: Int32Array;

  constructor(
    readonly memory: WebAssembly.Memory,
    /** First usable byte (above the module's static data). */
    base: number,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
    this.f32View = new Float32Array(memory.buffer);
    this.i32View = new Int32Array(memory.buffer);
  }

  /** Reserve `bytes` (rounded up to the alignment); returns the byte address. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i];
      if (b.bytes < size) continue;
      const at = b.at;
      if (b.bytes === size) this.free.splice(i, 1);
      else {
        b.at += size;
        b.bytes -= size;
      }
      return at;
    }
    const at = this.top;
    this.ensure(at + size);
    this.top = at + size;
    return at;
  }

  /** Return a block from `alloc` (the same rounded size). */
  release(at: number, bytes: number): void {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let i = 0;
    while (i < this.free.length && this.free[i].at < at) i++;
    this.free.splice(i, 0, { at, bytes: size });
    // Coalesce with the next block, then with the previous one.
    const next = this.free[i + 1];
    if (next && at + size === next.at) {
      this.free[i].bytes += next.bytes;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.at + prev.bytes === at) {
      prev.bytes += this.free[i].bytes;
      this.free.splice(i, 1);
    }
    // A free block at the top goes back to the bump pointer.
    const last = this.free[this.free.length - 1];
    if (last && last.at + last.bytes === this.top) {
      this.top = last.at;
      this.free.pop();
    }
  }

  /** Grow the memory so that bytes below `end` exist. */
  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  /** The whole memory as f32 (re-made after the memory grew). */
  get f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer || this.f32View.length === 0) {
      this.f32View = new Float32Array(this.memory.buffer);
    }
    return this.f32View;
  }

  /** The whole memory as i32 (re-made after the memory grew). */
  get i32(): Int32Array {
    if (this.i32View.buffer !== this.memory.buffer || this.i32View.length === 0) {
      this.i32View = new Int32Array(this.memory.buffer);
    }
    return this.i32View;
  }

  /** Bytes in use or free below the top (for tests and the bench). */
  get highWater(): number {
    return this.top;
  }
}
