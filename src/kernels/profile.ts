// Per-op timing of any code that runs on a Backend (a planner training step, a sampling
// rollout), for finding the hot ops. Profiling mode only: it changes how work is submitted.
//
// ProfilingBackend wraps a backend and QUEUES every op call instead of running it. The queue
// is drained, one op at a time, at the next read() or sync(): on WebGPU each op is recorded,
// submitted and awaited on its own (so its time includes one submit-and-wait, about 2 ms on
// SwiftShader; `dispatchOverheadMs` measures that floor), on the CPU each op is wall-clocked.
// write() is queued too (untimed), so uploads stay in program order with the ops.
//
//   const prof = new ProfilingBackend(be);
//   const planner = new Planner(prof.backend, config, V, B);
//   prof.profiling = true;
//   planner.trainStep(opt, 1); await prof.backend.sync();   // every op timed
//   console.log(formatProfile(prof.take()));
import type { Backend, Tensor } from './backend';

/** Backend methods that run immediately (memory management and submission control). */
const PASS_THROUGH = new Set<string>([
  'kind',
  'description',
  'tensor',
  'view',
  'release',
  'destroy',
  'flush',
]);

export interface OpTiming {
  /** The Backend method, e.g. 'matmul', 'embeddingBackward'. */
  op: string;
  /** The op plus its tensor shapes, e.g. 'matmul (128,32)·(32,96)→(128,96)'. */
  detail: string;
  ms: number;
  /**
   * CPU time of the whole process over the same span (Node only, else NaN). With SwiftShader
   * the GPU's work is CPU work in this process, so on a busy machine this is the steadier
   * measure: other processes add wall time but not our CPU time.
   */
  cpuMs: number;
}

export interface ProfileRow {
  key: string;
  calls: number;
  totalMs: number;
  cpuMs: number;
}

/** Process CPU time in ms (user + system), or NaN outside Node. */
export function cpuTimeMs(): number {
  const proc = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } })
    .process;
  if (!proc?.cpuUsage) return NaN;
  const u = proc.cpuUsage();
  return (u.user + u.system) / 1000;
}

type Pending = { op: string; detail: string; run: () => void; timed: boolean };

export class ProfilingBackend {
  private queue: Pending[] = [];
  private timings: OpTiming[] = [];
  /**
   * False (the default): every call goes straight to the wrapped backend (set-up, warm-up,
   * wall-clock runs). True: ops are queued and timed. Switch only when nothing is queued.
   */
  profiling = false;

  /** The wrapped backend, typed as a Backend for model code. */
  readonly backend: Backend;

  constructor(readonly inner: Backend) {
    this.backend = new Proxy(inner, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof prop !== 'string' || typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => unknown;
        if (PASS_THROUGH.has(prop)) return fn.bind(target);
        if (!this.profiling) {
          if (this.queue.length > 0) {
            throw new Error(`ProfilingBackend: '${prop}' called with queued ops; sync() first`);
          }
          return fn.bind(target);
        }
        if (prop === 'read') {
          return async (t: Tensor) => {
            await this.drain();
            return fn.call(target, t);
          };
        }
        if (prop === 'sync') return () => this.drain();
        // An op or a write: queued, run in order by drain().
        return (...args: unknown[]) => {
          this.queue.push({
            op: prop,
            detail: describeCall(prop, args),
            run: () => fn.apply(target, args),
            timed: prop !== 'write',
          });
        };
      },
    });
  }

  /** Run the queued calls one by one, timing each op (with a device wait on WebGPU). */
  async drain(): Promise<void> {
    await this.inner.sync();
    const queue = this.queue;
    this.queue = [];
    for (const call of queue) {
      if (!call.timed) {
        call.run();
        continue;
      }
      const t0 = performance.now();
      const c0 = cpuTimeMs();
      call.run();
      await this.inner.sync();
      const ms = performance.now() - t0;
      this.timings.push({ op: call.op, detail: call.detail, ms, cpuMs: cpuTimeMs() - c0 });
    }
  }

  /** The timings gathered since the last take(). */
  take(): OpTiming[] {
    const out = this.timings;
    this.timings = [];
    return out;
  }

  /** The cost of one tiny op plus its submit-and-wait: the floor under every timed op. */
  async dispatchOverheadMs(repeats = 20): Promise<number> {
    const t = this.inner.tensor([1], 'f32', 'profile.overhead');
    await this.inner.sync();
    const t0 = performance.now();
    for (let i = 0; i < repeats; i++) {
      this.inner.zero(t);
      await this.inner.sync();
    }
    const ms = (performance.now() - t0) / repeats;
    this.inner.release(t);
    return ms;
  }
}

function describeCall(op: string, args: unknown[]): string {
  const isTensor = (a: unknown): a is Tensor => typeof a === 'object' && a !== null && 'shape' in a;
  // Ops that take a group of tensors as one object (layerNorm, grpoTokenLoss) list its members.
  const tensors = args.flatMap((a) =>
    isTensor(a)
      ? [a]
      : typeof a === 'object' && a !== null
        ? Object.values(a).filter(isTensor)
        : [],
  );
  const shapes = tensors.map((t) => `(${t.shape.join(',')})`);
  const kind = typeof args[0] === 'string' ? ` ${args[0]}` : '';
  return `${op}${kind} ${shapes.join(' ')}`;
}

/**
 * The fastest time of each op over repeated runs of the same op sequence (a busy machine
 * only ever adds time). Each run must hold the same calls in the same order.
 */
export function fastestOfRuns(runs: readonly (readonly OpTiming[])[]): OpTiming[] {
  return runs[0].map((t, i) => ({
    ...t,
    ms: Math.min(...runs.map((r) => r[i].ms)),
    cpuMs: Math.min(...runs.map((r) => r[i].cpuMs)),
  }));
}

/** Sum timings by op name (or by op and shapes when `detail`), largest first. */
export function summarise(timings: readonly OpTiming[], detail = false): ProfileRow[] {
  const rows = new Map<string, ProfileRow>();
  for (const t of timings) {
    const key = detail ? t.detail : t.op;
    const row = rows.get(key) ?? { key, calls: 0, totalMs: 0, cpuMs: 0 };
    row.calls++;
    row.totalMs += t.ms;
    row.cpuMs += t.cpuMs;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.totalMs - a.totalMs);
}

/** A plain-text table: op, calls, wall ms (total, per call, share) and process CPU ms. */
export function formatProfile(rows: readonly ProfileRow[], limit = rows.length): string {
  const total = rows.reduce((s, r) => s + r.totalMs, 0);
  const cpu = rows.reduce((s, r) => s + r.cpuMs, 0);
  const calls = rows.reduce((s, r) => s + r.calls, 0);
  const width = Math.max(7, ...rows.slice(0, limit).map((r) => r.key.length));
  const num = (x: number, digits: number, w: number) => x.toFixed(digits).padStart(w);
  const line = (key: string, n: number, ms: number, perCall: string, share: string, c: number) =>
    `${key.padEnd(width)}  ${String(n).padStart(5)}  ${num(ms, 1, 9)}  ${perCall.padStart(9)}` +
    `  ${share.padStart(6)}  ${num(c, 1, 9)}`;
  return [
    `${'op'.padEnd(width)}  calls   total ms    ms/call   share     cpu ms`,
    ...rows
      .slice(0, limit)
      .map((r) =>
        line(
          r.key,
          r.calls,
          r.totalMs,
          (r.totalMs / r.calls).toFixed(2),
          `${((100 * r.totalMs) / total).toFixed(1)}%`,
          r.cpuMs,
        ),
      ),
    line('all ops', calls, total, '', '', cpu),
  ].join('\n');
}
