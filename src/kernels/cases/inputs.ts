// Seeded inputs for op cases. A case must draw in the same order on every backend, so the
// same seed gives the same tensors on WebGPU and on the CPU reference.
import type { Backend, Tensor } from '../backend';
import { sizeOf } from '../backend';
import type { Rng } from '../../rng';

/** f32 tensor of normal(mean, std) values. */
export function normalTensor(be: Backend, rng: Rng, shape: number[], std = 1, mean = 0): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(mean, std);
  const t = be.tensor(shape, 'f32');
  be.write(t, data);
  return t;
}

/** f32 tensor of uniform [lo, hi) values. */
export function uniformTensor(
  be: Backend,
  rng: Rng,
  shape: number[],
  lo: number,
  hi: number,
): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(lo, hi);
  const t = be.tensor(shape, 'f32');
  be.write(t, data);
  return t;
}

/** f32 tensor whose values are picked from `choices` (exact in f32, e.g. rewards 0/0.5/1). */
export function choiceTensor(be: Backend, rng: Rng, shape: number[], choices: number[]): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.pick(choices);
  const t = be.tensor(shape, 'f32');
  be.write(t, data);
  return t;
}

/** i32 tensor of integers in [lo, hi]; with `ignoreRate`, that share of entries is −1. */
export function intTensor(
  be: Backend,
  rng: Rng,
  shape: number[],
  lo: number,
  hi: number,
  ignoreRate = 0,
): Tensor {
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.chance(ignoreRate) ? -1 : rng.int(lo, hi);
  const t = be.tensor(shape, 'i32');
  be.write(t, data);
  return t;
}

/** Read the outputs as f32, then release every tensor the case made. */
export async function finish(
  be: Backend,
  outputs: Tensor[],
  all: Tensor[],
): Promise<Float32Array[]> {
  const got: Float32Array[] = [];
  for (const t of outputs) {
    const data = await be.read(t);
    got.push(data instanceof Float32Array ? data : Float32Array.from(data));
  }
  for (const t of all) be.release(t);
  return got;
}

/** "257×3" */
export function dims(shape: readonly number[]): string {
  return shape.join('×');
}
