// Host tensors for the CPU backend: f32 or i32 storage shared by a tensor and its views.
import { KernelError, type DType, type Tensor } from '../backend';
import { shapeString } from '../validate';

/** One allocation; released when the tensor that created it is released. */
export class CpuStorage {
  released = false;
  constructor(readonly data: Float32Array | Int32Array) {}
}

export class CpuTensor implements Tensor {
  private releasedSelf = false;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly shape: readonly number[],
    readonly dtype: DType,
    readonly size: number,
    /** Offset in elements inside `storage` (0 for a tensor that owns its storage). */
    readonly offset: number,
    readonly storage: CpuStorage,
    /** True for the tensor that allocated the storage; false for views. */
    readonly owner: boolean,
  ) {}

  /** A view dies with its parent's storage, or on its own release. */
  get released(): boolean {
    return this.releasedSelf || this.storage.released;
  }

  markReleased(): void {
    this.releasedSelf = true;
    if (this.owner) this.storage.released = true;
  }

  /** The elements of this tensor, sharing memory with the storage. */
  array(): Float32Array | Int32Array {
    return this.storage.data.subarray(this.offset, this.offset + this.size);
  }
}

/** Narrow a Tensor to this backend's type; tensors from another backend are an error. */
export function asCpu(op: string, t: Tensor): CpuTensor {
  if (!(t instanceof CpuTensor)) {
    throw new KernelError(
      op,
      `tensor '${t.name}' ${shapeString(t.shape)} belongs to another backend`,
    );
  }
  return t;
}
