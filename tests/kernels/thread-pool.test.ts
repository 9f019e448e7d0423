// The wasm thread pool's hand-off between the caller and its worker, on a pool of its own: a
// worker woken without a new job (a stray wake-up, which a loaded machine produced: a training
// run hung with the share count at −1) goes back to sleep instead of running the last job
// again, and the next job still computes the right product.
import { expect, it } from 'vitest';
import { Arena } from '../../src/kernels/wasm/arena';
import { instantiateKernels, kernelModule, SHARED_MAX_PAGES } from '../../src/kernels/wasm/module';
import {
  CONTROL_INTS,
  OP_MATMUL,
  ThreadPool,
  type ShareKernels,
} from '../../src/kernels/wasm/threads';

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

it('a worker woken without a new job does not run the last one again', async () => {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: SHARED_MAX_PAGES, shared: true });
  const k = await instantiateKernels(memory, true);
  const arena = new Arena(memory, k.heapBase());
  const ctrl = arena.alloc(CONTROL_INTS * 4);
  const kernels = k as unknown as ShareKernels;
  const pool = await ThreadPool.create(await kernelModule(true), memory, ctrl, kernels, 2);
  try {
    const n = 64;
    const [a, b, out] = [0, 1, 2].map(() => arena.alloc(n * n * 4));
    const f32 = (at: number) => new Float32Array(memory.buffer, at, n * n);
    f32(a).forEach((_, i, xs) => (xs[i] = Math.sin(i)));
    f32(b).forEach((_, i, xs) => (xs[i] = Math.cos(i)));
    const stride = Math.ceil(k.matmulScratchBytes(n) / 64) * 64;
    const scratch = arena.alloc(2 * stride);
    // out = a·b, rows split between the caller and the worker.
    const product = () => pool.run(OP_MATMUL, [out, a, b, 1, n, n, n, 0, 0, 0, 0, scratch, stride]);
    product();
    const expected = f32(out).slice();
    const c = new Int32Array(memory.buffer, ctrl, CONTROL_INTS);
    expect(c[1]).toBe(0);

    sleep(50); // past its spin: the worker sleeps in Atomics.wait
    Atomics.notify(c, 0); // woken, with no new generation
    sleep(50);
    expect(c[1]).toBe(0); // −1 if it ran its share of the last job again

    f32(out).fill(0);
    product();
    expect(f32(out)).toEqual(expected);
    expect(c[1]).toBe(0);
  } finally {
    pool.destroy();
  }
});
