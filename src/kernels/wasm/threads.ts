// Worker threads for the wasm backend: each worker instantiates the shared-memory build of
// the kernels over the same WebAssembly.Memory, and large ops are split between the calling
// thread (share 0) and the workers (shares 1…). One control block of 32 i32 in the memory
// carries the job: [0] generation, [1] shares still running, [2] op, [3…] arguments. The
// caller bumps the generation and notifies; each worker runs its share and counts down; the
// caller runs share 0, then waits for the count to reach zero (Atomics.wait: allowed in Node
// and in workers, where the trainer runs; a page's main thread spins instead).
//
// Shares never overlap in what they write (matmul rows, attention batch rows), so results
// are bit-identical to one thread.

export const OP_EXIT = 0;
export const OP_MATMUL = 1;
export const OP_ATTENTION = 2;
export const OP_ATTENTION_BACKWARD = 3;
export const CONTROL_INTS = 32;
/** Checks of the control block before a thread sleeps (tens of microseconds). */
const SPIN_CHECKS = 20000;

/** Kernel exports a share needs (the WasmKernels subset; booleans pass as 0/1). */
export interface ShareKernels {
  matmulRows(...args: number[]): void;
  attentionForward(...args: number[]): void;
  attentionBackward(...args: number[]): void;
}

/**
 * Run share `index` of `parts` of the job in control block c. Self-contained (no imports or
 * closures): its source is also the workers' code.
 */
function runShare(k: ShareKernels, c: Int32Array, index: number, parts: number): void {
  const op = c[2];
  const range = (n: number, unit: number): [number, number] => {
    const units = Math.ceil(n / unit);
    const lo = Math.min(n, unit * Math.floor((units * index) / parts));
    const hi = Math.min(n, unit * Math.floor((units * (index + 1)) / parts));
    return [lo, hi];
  };
  if (op === 1) {
    const [r0, r1] = range(c[7], 4);
    if (r1 > r0) {
      const scratch = c[14] + index * c[15];
      k.matmulRows(
        c[3],
        c[4],
        c[5],
        c[6],
        c[7],
        c[8],
        c[9],
        c[10],
        c[11],
        c[12],
        c[13],
        scratch,
        r0,
        r1,
      );
    }
  } else if (op === 2) {
    const [B, T, NH, HS] = [c[7], c[8], c[9], c[10]];
    const [b0, b1] = range(B, 1);
    const C = NH * HS;
    if (b1 > b0) {
      const prefix = c[6] === 0 ? 0 : c[6] + b0 * 4;
      k.attentionForward(
        c[3] + b0 * T * C * 4,
        c[4] + b0 * NH * T * T * 4,
        c[5] + b0 * T * 3 * C * 4,
        prefix,
        b1 - b0,
        T,
        NH,
        HS,
      );
    }
  } else if (op === 3) {
    const [B, T, NH, HS] = [c[8], c[9], c[10], c[11]];
    const [b0, b1] = range(B, 1);
    const C = NH * HS;
    if (b1 > b0) {
      const qkvOff = b0 * T * 3 * C * 4;
      const attOff = b0 * NH * T * T * 4;
      k.attentionBackward(
        c[3] + qkvOff,
        c[4] + attOff,
        c[5] + b0 * T * C * 4,
        c[6] + qkvOff,
        c[7] + attOff,
        b1 - b0,
        T,
        NH,
        HS,
      );
    }
  }
}

/** The worker's code: wait for a generation, run its share, count down, repeat. */
// (__name: the helper esbuild's keepNames wraps functions with, absent in the worker.)
const WORKER_LOOP = `
const __name = (f) => f;
const runShare = ${runShare.toString()};
function start({ module, memory, ctrl, index, parts, generation }, ready) {
  const k = new WebAssembly.Instance(module, {
    env: { memory, abort() { throw new Error('wasm kernel aborted'); } },
  }).exports;
  const c = new Int32Array(memory.buffer, ctrl, ${CONTROL_INTS});
  ready();
  let seen = generation;
  for (;;) {
    // Spin a little before sleeping: the next op usually follows within microseconds, and
    // waking a sleeping thread (a halted virtual CPU, on a VM) can take far longer. A wake-up
    // without a new generation sleeps again: running the last job twice would count the
    // shares below zero, and the caller would wait for ever.
    for (let i = 0; i < ${SPIN_CHECKS} && Atomics.load(c, 0) === seen; i++);
    while (Atomics.load(c, 0) === seen) Atomics.wait(c, 0, seen);
    seen = Atomics.load(c, 0);
    if (c[2] === ${OP_EXIT}) return;
    try { runShare(k, c, index, parts); }
    finally { if (Atomics.sub(c, 1, 1) === 1) Atomics.notify(c, 1); }
  }
}
`;

interface PoolWorker {
  post(msg: unknown): void;
  /** Resolves once the worker has its instance and waits for jobs. */
  ready: Promise<void>;
  stop(): void;
}

async function spawn(): Promise<PoolWorker> {
  const isNode = typeof process !== 'undefined' && Boolean(process.versions?.node);
  if (isNode) {
    const spec = 'node:worker_threads';
    const { Worker } = (await import(
      /* @vite-ignore */ spec
    )) as typeof import('node:worker_threads');
    const w = new Worker(
      `${WORKER_LOOP}\nconst { parentPort } = require('node:worker_threads');\n` +
        `parentPort.once('message', (d) => start(d, () => parentPort.postMessage('ready')));`,
      { eval: true },
    );
    w.unref();
    const ready = new Promise<void>((ok) => w.once('message', () => ok()));
    return { post: (m) => w.postMessage(m), ready, stop: () => void w.terminate() };
  }
  const url = URL.createObjectURL(
    new Blob(
      [`${WORKER_LOOP}\nself.onmessage = (e) => start(e.data, () => self.postMessage('ready'));`],
      {
        type: 'text/javascript',
      },
    ),
  );
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  const ready = new Promise<void>((ok) => (w.onmessage = () => ok()));
  return { post: (m) => w.postMessage(m), ready, stop: () => w.terminate() };
}

/** Threads worth using here: the machine's cores (as the realm reports them), at most 4. */
export function defaultThreads(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  return Math.max(1, Math.min(4, n ?? 1));
}

/** Whether this realm can share a WebAssembly.Memory with workers. */
export function threadsAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  return g.crossOriginIsolated !== false;
}

export class ThreadPool {
  private readonly c: Int32Array;
  private readonly canWait: boolean;

  private constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly ctrl: number,
    private readonly workers: PoolWorker[],
    private readonly kernels: ShareKernels,
  ) {
    this.c = new Int32Array(memory.buffer, ctrl, CONTROL_INTS);
    // Atomics.wait throws on a page's main thread; there the caller spins.
    const g = globalThis as { document?: unknown };
    this.canWait = typeof g.document === 'undefined';
  }

  /** `threads` − 1 workers over `memory` (shared), control block at byte `ctrl`. */
  static async create(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    ctrl: number,
    kernels: ShareKernels,
    threads: number,
  ): Promise<ThreadPool> {
    const generation = Atomics.load(new Int32Array(memory.buffer, ctrl, CONTROL_INTS), 0);
    const workers = await Promise.all(Array.from({ length: threads - 1 }, spawn));
    workers.forEach((w, i) =>
      w.post({ module, memory, ctrl, index: i + 1, parts: threads, generation }),
    );
    // A worker cannot start while its creator blocks in Atomics.wait (browsers start nested
    // workers through the creator's event loop), so no job is posted before all are ready.
    await Promise.all(workers.map((w) => w.ready));
    return new ThreadPool(memory, ctrl, workers, kernels);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Run `op` with `args` on every thread; returns when all shares are done. */
  run(op: number, args: readonly number[]): void {
    const c = this.c.buffer === this.memory.buffer ? this.c : this.view();
    c[2] = op;
    for (let i = 0; i < args.length; i++) c[3 + i] = args[i];
    Atomics.store(c, 1, this.workers.length);
    Atomics.add(c, 0, 1);
    Atomics.notify(c, 0);
    let ranTwice = 0;
    try {
      runShare(this.kernels, c, 0, this.threads);
    } finally {
      for (let i = 0; i < SPIN_CHECKS && Atomics.load(c, 1) !== 0; i++);
      for (;;) {
        const left = Atomics.load(c, 1);
        if (left === 0) break;
        if (left < 0) {
          ranTwice = -left;
          break;
        }
        if (this.canWait) Atomics.wait(c, 1, left);
      }
    }
    if (ranTwice > 0) {
      Atomics.store(c, 1, 0);
      throw new Error(`wasm thread pool: ${ranTwice} share(s) of op ${op} ran twice`);
    }
  }

  private view(): Int32Array {
    return new Int32Array(this.memory.buffer, this.ctrl, CONTROL_INTS);
  }

  destroy(): void {
    const c = this.view();
    c[2] = OP_EXIT;
    Atomics.add(c, 0, 1);
    Atomics.notify(c, 0);
    for (const w of this.workers) w.stop();
  }
}
