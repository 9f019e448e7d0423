// Per-dispatch uniforms. Each dispatch recorded in a step gets its own 256-byte slot, so
// dispatches never clobber each other's parameters. Slots are filled on the CPU while ops are
// recorded and uploaded with one queue.writeBuffer per chunk just before the step's submit.
// Because the queue runs writes and submits in order, the same chunks are safe to refill for
// the next step without waiting for the GPU.

import { BufferUsage } from './flags';
import { UNIFORM_SLOT_BYTES } from './kernel';

/** Slots per chunk: 64 KiB buffers, the guaranteed maximum uniform buffer size. */
const SLOTS_PER_CHUNK = 256;
const CHUNK_BYTES = SLOTS_PER_CHUNK * UNIFORM_SLOT_BYTES;

export interface UniformChunk {
  readonly id: number;
  readonly buffer: GPUBuffer;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
}

export interface UniformSlot {
  chunk: UniformChunk;
  /** Byte offset of the slot (the dynamic offset passed to setBindGroup). */
  byteOffset: number;
  /** Offset in 32-bit words, for writing into the chunk's views. */
  wordOffset: number;
}

export class UniformRing {
  private readonly chunks: UniformChunk[] = [];
  /** Slots handed out since the last upload. */
  private used = 0;

  constructor(private readonly device: GPUDevice) {}

  next(): UniformSlot {
    const chunkIndex = Math.floor(this.used / SLOTS_PER_CHUNK);
    if (chunkIndex === this.chunks.length) this.chunks.push(this.newChunk(chunkIndex));
    const slot = this.used % SLOTS_PER_CHUNK;
    this.used++;
    const byteOffset = slot * UNIFORM_SLOT_BYTES;
    return { chunk: this.chunks[chunkIndex], byteOffset, wordOffset: byteOffset / 4 };
  }

  /** Queue the uploads of every slot used since the last call; call right before submit. */
  upload(queue: GPUQueue): void {
    let remaining = this.used;
    for (let i = 0; remaining > 0; i++) {
      const slots = Math.min(remaining, SLOTS_PER_CHUNK);
      const c = this.chunks[i];
      queue.writeBuffer(c.buffer, 0, c.u32.buffer, 0, slots * UNIFORM_SLOT_BYTES);
      remaining -= slots;
    }
    this.used = 0;
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  destroy(): void {
    for (const c of this.chunks) c.buffer.destroy();
    this.chunks.length = 0;
  }

  private newChunk(id: number): UniformChunk {
    const buffer = this.device.createBuffer({
      size: CHUNK_BYTES,
      usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
      label: `uniforms#${id}`,
    });
    const bytes = new ArrayBuffer(CHUNK_BYTES);
    return {
      id,
      buffer,
      u32: new Uint32Array(bytes),
      i32: new Int32Array(bytes),
      f32: new Float32Array(bytes),
    };
  }
}
