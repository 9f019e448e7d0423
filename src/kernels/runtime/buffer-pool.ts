// A pool of GPUBuffers of one usage, reused by size class. Freed buffers go back to a free
// list keyed by their class and are handed out again before any new buffer is created, so a
// training loop that allocates the same shapes every step stops allocating after step one.
//
// Size classes: multiples of 256 bytes up to 4 KiB, then four steps per power of two
// (1, 1.25, 1.5, 1.75 × 2^k), so a buffer wastes at most a quarter of its size.

export interface PooledBuffer {
  /** Small integer identity (bind group cache keys). */
  readonly id: number;
  readonly buffer: GPUBuffer;
  /** Size in bytes (the size class, ≥ what was asked for). */
  readonly size: number;
}

export interface PoolStats {
  created: number;
  reused: number;
  /** Buffers handed out and not yet freed. */
  live: number;
  /** Buffers waiting in the free lists. */
  free: number;
  /** Bytes held by all buffers this pool created and has not destroyed. */
  bytes: number;
}

export const MIN_BUFFER_BYTES = 256;

export function sizeClass(bytes: number): number {
  const b = Math.max(MIN_BUFFER_BYTES, Math.ceil(bytes));
  if (b <= 4096) return Math.ceil(b / 256) * 256;
  const pow = 2 ** Math.floor(Math.log2(b));
  const step = pow / 4;
  return Math.ceil(b / step) * step;
}

let nextBufferId = 1;

export class BufferPool {
  private readonly freeLists = new Map<number, PooledBuffer[]>();
  private readonly stats_: PoolStats = { created: 0, reused: 0, live: 0, free: 0, bytes: 0 };

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly label: string,
  ) {}

  /** A buffer of at least `bytes`; `reused` says whether its contents are stale. */
  acquire(bytes: number): { buf: PooledBuffer; reused: boolean } {
    const size = sizeClass(bytes);
    const list = this.freeLists.get(size);
    const stats = this.stats_;
    stats.live++;
    if (list && list.length > 0) {
      stats.reused++;
      stats.free--;
      return { buf: list.pop()!, reused: true };
    }
    stats.created++;
    stats.bytes += size;
    const buffer = this.device.createBuffer({ size, usage: this.usage, label: this.label });
    return { buf: { id: nextBufferId++, buffer, size }, reused: false };
  }

  /** Put a buffer back. The caller guarantees no unsubmitted command still uses it. */
  release(buf: PooledBuffer): void {
    let list = this.freeLists.get(buf.size);
    if (!list) this.freeLists.set(buf.size, (list = []));
    list.push(buf);
    this.stats_.live--;
    this.stats_.free++;
  }

  /** Destroy every free buffer (memory pressure, or tear-down). */
  trim(): void {
    for (const list of this.freeLists.values()) {
      for (const b of list) {
        b.buffer.destroy();
        this.stats_.bytes -= b.size;
      }
    }
    this.freeLists.clear();
    this.stats_.free = 0;
  }

  get stats(): PoolStats {
    return { ...this.stats_ };
  }
}
