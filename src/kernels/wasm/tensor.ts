// Tensors of the wasm backend: a block of the arena (byte address) shared by a tensor and
// its views. They extend the CPU reference's tensors so the reference math can run on
// arena views for the ops that have no wasm kernel yet.
import { KernelError, type DType, type Tensor } from '../backend';
import { CpuStorage, CpuTensor } from '../cpu/tensor';
import { shapeString } from '../validate';
import type { Arena } from './arena';

const NO_DATA = new Float32Array(0);

/** One arena block; freed when the tensor that allocated it is released. */
export class WasmStorage extends CpuStorage {
  constructor(
    readonly arena: Arena,
    /** Byte address of element 0. */
    readonly address: number,
    readonly bytes: number,
  ) {
    super(NO_DATA);
  }
}

export class WasmTensor extends CpuTensor {
  private cached: Float32Array | Int32Array = NO_DATA;

  constructor(
    id: number,
    name: string,
    shape: readonly number[],
    dtype: DType,
    size: number,
    offset: number,
    readonly block: WasmStorage,
    owner: boolean,
  ) {
    super(id, name, shape, dtype, size, offset, block, owner);
  }

  /** Byte address of this tensor's first element. */
  get address(): number {
    return this.block.address + this.offset * 4;
  }

  /** The elements as a typed array over the arena (kept until the memory grows). */
  override array(): Float32Array | Int32Array {
    const arena = this.block.arena;
    const whole = this.dtype === 'f32' ? arena.f32 : arena.i32;
    if (this.cached.buffer !== whole.buffer || (this.cached.length === 0 && this.size > 0)) {
      const start = this.address >> 2;
      this.cached = whole.subarray(start, start + this.size);
    }
    return this.cached;
  }
}

/** Narrow a Tensor to the wasm backend's type; tensors from another backend are an error. */
export function asWasm(op: string, t: Tensor): WasmTensor {
  if (!(t instanceof WasmTensor)) {
    throw new KernelError(
      op,
      `tensor '${t.name}' ${shapeString(t.shape)} belongs to another backend`,
    );
  }
  return t;
}
