// The PyTorch peer of the planner-step rows: torch_planner_step.py (the same model in
// PyTorch, one thread) run as a child process that times one step per request, so its steps
// alternate with ours in one run. Optional: where python3 cannot import torch, the bench says
// so and measures the rest.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ModelDims } from '../../rl/model/config';
import type { PlannerBatch } from '../../rl/model/encode';

/** What the peer needs to build the same model and a batch of the same shape (its argv JSON). */
export interface TorchStepShape {
  V: number;
  C: number;
  NH: number;
  L: number;
  FC: number;
  /** Sequence positions; the head and the targets sit on rows P−1..T−1. */
  T: number;
  P: number;
  E: number;
  W: number;
  BF: number;
  BH: number;
  CROP: number;
  B: number;
  /** Per sequence: its targets fill rows P−1 .. P−2+n, as packBatch lays out a forecast. */
  targetsPerSequence: number[];
}

/** The shape of `batch` for the peer; throws where a target is not where packBatch puts it. */
export function torchStepShape(d: ModelDims, batch: PlannerBatch): TorchStepShape {
  const B = batch.tokens.length / d.T;
  if (!Number.isInteger(B)) {
    throw new Error(`torchStepShape: ${batch.tokens.length} tokens are not whole rows of T=${d.T}`);
  }
  const targetsPerSequence = Array.from({ length: B }, (_, b) => {
    const row = batch.targets.subarray(b * d.T, (b + 1) * d.T);
    const n = row.subarray(d.P - 1).findIndex((t) => t < 0);
    const count = n < 0 ? d.F : n;
    const stray = row.findIndex((t, i) => t >= 0 && (i < d.P - 1 || i >= d.P - 1 + count));
    if (stray >= 0) {
      throw new Error(
        `torchStepShape: sequence ${b} has a target at position ${stray}, outside its forecast rows ${d.P - 1}..${d.P - 2 + count}`,
      );
    }
    return count;
  });
  const { V, C, NH, L, FC, T, P, E, W, BF, BH, CROP } = d;
  return { V, C, NH, L, FC, T, P, E, W, BF, BH, CROP, B, targetsPerSequence };
}

const SCRIPT = fileURLToPath(new URL('./torch_planner_step.py', import.meta.url));

/** Pythons to try, first that imports torch wins ($PYTHON, then PATH's, then the system's). */
const PYTHONS = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p) => p !== undefined);

/** The first python that imports torch, or why none does. */
export function findTorchPython(): { python: string } | { missing: string } {
  for (const python of PYTHONS) {
    const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  return { missing: `none of ${PYTHONS.join(', ')} imports torch` };
}

export interface TorchPeer {
  params: number;
  version: string;
  /** PyTorch's own 512³ matmul, GFLOP/s per CPU-second: which BLAS it runs on. */
  matmulGflops: number;
  /** Times one step in the child: its wall and CPU ms. */
  step(): Promise<{ wall: number; cpu: number }>;
  close(): Promise<void>;
}

/** Starts the peer in `python` for `shape` (builds the model and batch); resolves once it is ready. */
export async function startTorchPeer(python: string, shape: TorchStepShape): Promise<TorchPeer> {
  const child: ChildProcessWithoutNullStreams = spawn(python, [SCRIPT, JSON.stringify(shape)]);
  let stderr = '';
  child.stderr.on('data', (s: Buffer) => (stderr += s.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next();
    if (r.done) throw new Error(`torch_planner_step.py exited: ${stderr.trim() || 'no output'}`);
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  const ready = await next();
  return {
    params: Number(ready.params),
    version: String(ready.torch),
    matmulGflops: Number(ready.matmul512_gflops),
    async step() {
      child.stdin.write('1\n');
      const r = await next();
      return { wall: Number(r.wall_ms), cpu: Number(r.cpu_ms) };
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
