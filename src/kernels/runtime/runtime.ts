// The one place that talks to the GPUDevice: buffers, pipelines, the step recorder, readback,
// error reporting and device loss. Ops call `dispatch`; nothing here waits on the GPU except
// read() and sync(), which are for results, tests and benchmarks, never inside a step.
//
// Step recorder: dispatches are appended to ONE command encoder (one compute pass) until
// flush(), which uploads the step's uniforms and submits once. Work is ordered on the queue,
// so hazards only arise between recorded-but-unsubmitted commands and immediate queue writes;
// the recorder handles both: write() flushes first when the target buffer is used by recorded
// commands, and freed buffers return to the pool only once the commands using them are
// submitted.

import { KernelError } from '../backend';
import { BufferPool, type PooledBuffer, type PoolStats } from './buffer-pool';
import { deviceInfo, requestGpuDevice, type GpuDevice, type GpuInfo } from './device';
import { ErrorChecks, withErrorScope } from './error-scope';
import { DeviceLostError } from './errors';
import { BufferUsage, MapMode } from './flags';
import { type Kernel, packParams, UNIFORM_SLOT_BYTES } from './kernel';
import { PipelineCache, type OverrideConstants } from './pipeline-cache';
import { UniformRing } from './uniform-ring';

/** A byte range of a pooled buffer, as bound to a kernel. */
export interface BufferSlice {
  readonly buf: PooledBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
}

export interface DispatchArgs<B extends string, P extends string> {
  bindings: Readonly<Record<B, BufferSlice>>;
  params: Readonly<Record<P, number>>;
  /** WGSL override constants (tile sizes, flags). */
  constants?: OverrideConstants;
  workgroups: readonly [number, number?, number?];
  /** Name for error messages when it differs from the kernel's, e.g. 'activationBackward'. */
  op?: string;
}

export interface DeviceLostInfo {
  reason: string;
  message: string;
}

export interface RuntimeStats {
  dispatches: number;
  /** Inputs copied because they overlapped another binding (in-place calls). */
  scratchCopies: number;
  flushes: number;
  pipelines: number;
  bindGroups: number;
  uniformChunks: number;
  storage: PoolStats;
  staging: PoolStats;
}

/** Storage offsets must be multiples of this (the WebGPU minimum alignment everywhere). */
export const STORAGE_ALIGNMENT = 256;
const BIND_GROUP_CACHE_LIMIT = 8192;

export class GpuRuntime {
  readonly device: GPUDevice;
  readonly info: GpuInfo;
  private readonly queue: GPUQueue;
  private readonly storage: BufferPool;
  private readonly staging: BufferPool;
  private readonly checks = new ErrorChecks();
  private readonly pipelines: PipelineCache;
  private readonly ring: UniformRing;
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly maxWorkgroups: number;

  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  /** Op names recorded since the last flush, for error messages. */
  private recordedOps: string[] = [];
  /** Ids of buffers used by recorded, unsubmitted commands. */
  private readonly touched = new Set<number>();
  private pendingFree: PooledBuffer[] = [];

  private lostInfo: DeviceLostInfo | null = null;
  private destroyed = false;
  private readonly lostListeners = new Set<(info: DeviceLostInfo) => void>();
  private dispatches = 0;
  private scratchCopies = 0;
  private flushes = 0;

  static async create(gpu?: GPU): Promise<GpuRuntime> {
    return new GpuRuntime(await requestGpuDevice(gpu));
  }

  /** From `requestGpuDevice()`'s result, or from a device acquired elsewhere. */
  constructor(dev: GpuDevice | GPUDevice) {
    const { device, info } = 'queue' in dev ? { device: dev, info: deviceInfo(dev) } : dev;
    this.device = device;
    this.info = info;
    this.queue = device.queue;
    this.storage = new BufferPool(
      device,
      BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      'tensor',
    );
    this.staging = new BufferPool(device, BufferUsage.MAP_READ | BufferUsage.COPY_DST, 'readback');
    this.pipelines = new PipelineCache(device, this.checks);
    this.ring = new UniformRing(device);
    this.maxWorkgroups = device.limits.maxComputeWorkgroupsPerDimension;
    void device.lost.then((info) => {
      this.lostInfo = { reason: String(info.reason), message: info.message };
      for (const cb of this.lostListeners) cb(this.lostInfo);
    });
    // Errors outside our scopes still reach the caller, attributed as well as we can.
    device.addEventListener?.('uncapturederror', (ev) => {
      this.checks.add(
        'GPU call outside an op',
        Promise.resolve((ev as GPUUncapturedErrorEvent).error),
      );
    });
  }

  // ---- device loss ----

  /** Call `cb` when the device is lost or destroyed. Returns an unsubscribe function. */
  onDeviceLost(cb: (info: DeviceLostInfo) => void): () => void {
    this.lostListeners.add(cb);
    if (this.lostInfo) queueMicrotask(() => cb(this.lostInfo!));
    return () => this.lostListeners.delete(cb);
  }

  get isLost(): boolean {
    return this.lostInfo !== null || this.destroyed;
  }

  /** Throw a clear error when the device is gone; `what` names the call. */
  assertAlive(what: string): void {
    if (this.lostInfo) throw new DeviceLostError(this.lostInfo.reason, this.lostInfo.message, what);
    if (this.destroyed) throw new DeviceLostError('destroyed', 'destroy() was called', what);
  }

  // ---- memory ----

  /** A storage buffer of at least `bytes`; `reused` means its contents are stale. */
  alloc(bytes: number): { buf: PooledBuffer; reused: boolean } {
    this.assertAlive('alloc');
    return this.storage.acquire(bytes);
  }

  /** Return a buffer to the pool once no unsubmitted command uses it. */
  free(buf: PooledBuffer): void {
    if (this.encoder) this.pendingFree.push(buf);
    else this.storage.release(buf);
  }

  /** Upload host data. Ordered after every op recorded so far. */
  write(slice: BufferSlice, data: Float32Array | Int32Array): void {
    this.assertAlive('write');
    if (this.touched.has(slice.buf.id)) this.flush();
    this.queue.writeBuffer(
      slice.buf.buffer,
      slice.byteOffset,
      data.buffer,
      data.byteOffset,
      data.byteLength,
    );
  }

  /** Flush, copy the slice into a staging buffer and map it. Surfaces pending GPU errors. */
  async read(slice: BufferSlice, what = 'read'): Promise<ArrayBuffer> {
    this.assertAlive(what);
    this.flush();
    const n = slice.byteLength;
    const { buf: staging } = this.staging.acquire(n);
    const encoder = this.device.createCommandEncoder({ label: what });
    encoder.copyBufferToBuffer(slice.buf.buffer, slice.byteOffset, staging.buffer, 0, n);
    const { error } = withErrorScope(this.device, () => this.queue.submit([encoder.finish()]));
    this.checks.add(what, error);
    let data: ArrayBuffer;
    try {
      await staging.buffer.mapAsync(MapMode.READ, 0, n);
      data = staging.buffer.getMappedRange(0, n).slice(0);
      staging.buffer.unmap();
    } catch (e) {
      this.assertAlive(what);
      throw e;
    } finally {
      this.staging.release(staging);
    }
    await this.checks.throwIfAny();
    return data;
  }

  // ---- recording ----

  /** Compile a kernel ahead of time (async; failures throw naming the op). */
  prepare(kernel: Kernel, constants?: OverrideConstants): Promise<void> {
    this.assertAlive(kernel.name);
    return this.pipelines.prepare(kernel, constants);
  }

  /** Record one dispatch into the current step. */
  dispatch<B extends string, P extends string>(
    kernel: Kernel<B, P>,
    args: DispatchArgs<B, P>,
  ): void {
    const op = args.op ?? kernel.name;
    this.assertAlive(op);
    const [x, y = 1, z = 1] = args.workgroups;
    if (x > this.maxWorkgroups || y > this.maxWorkgroups || z > this.maxWorkgroups) {
      throw new KernelError(
        op,
        `grid ${x}×${y}×${z} exceeds ${this.maxWorkgroups} workgroups per dimension`,
      );
    }
    const pipeline = this.pipelines.get(kernel, args.constants);

    // Uniforms: a fresh slot per dispatch.
    let key = kernel.layoutKey;
    let dynamicOffsets: number[] | undefined;
    let chunkBuffer: GPUBuffer | undefined;
    if (kernel.params.length > 0) {
      const slot = this.ring.next();
      packParams(
        kernel,
        args.params,
        slot.chunk.u32,
        slot.chunk.i32,
        slot.chunk.f32,
        slot.wordOffset,
      );
      key += `|u${slot.chunk.id}`;
      dynamicOffsets = [slot.byteOffset];
      chunkBuffer = slot.chunk.buffer;
    }
    const slices = this.resolveAliasing(op, kernel, args.bindings);
    for (const s of slices) {
      key += `|${s.buf.id}:${s.byteOffset}:${s.byteLength}`;
      this.touched.add(s.buf.id);
    }
    const bindGroup =
      this.bindGroups.get(key) ?? this.createBindGroup(kernel, op, key, slices, chunkBuffer);

    this.encoder ??= this.device.createCommandEncoder({ label: 'step' });
    if (!this.pass) this.pass = this.encoder.beginComputePass({ label: 'step' });
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup, dynamicOffsets);
    this.pass.dispatchWorkgroups(x, y, z);
    this.recordedOps.push(op);
    this.dispatches++;
  }

  /** Submit everything recorded since the last flush, once. Never waits. */
  flush(): void {
    if (!this.encoder) return;
    this.assertAlive('flush');
    const encoder = this.encoder;
    this.pass?.end();
    this.encoder = null;
    this.pass = null;
    const { error } = withErrorScope(this.device, () => {
      this.ring.upload(this.queue);
      this.queue.submit([encoder.finish()]);
    });
    this.checks.add(summariseOps(this.recordedOps), error);
    this.recordedOps = [];
    this.touched.clear();
    // Reverse order, so the next step's identical allocations get the same buffers back
    // (the free lists are stacks) and hit the bind group cache.
    for (let i = this.pendingFree.length - 1; i >= 0; i--)
      this.storage.release(this.pendingFree[i]);
    this.pendingFree = [];
    this.flushes++;
  }

  /** Flush and wait for the GPU to finish; surfaces pending GPU errors. */
  async sync(): Promise<void> {
    this.assertAlive('sync');
    this.flush();
    await this.queue.onSubmittedWorkDone();
    this.assertAlive('sync');
    await this.checks.throwIfAny();
  }

  /** Destroy free pooled buffers (live tensors keep theirs). */
  trim(): void {
    this.storage.trim();
    this.staging.trim();
    this.bindGroups.clear();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.encoder = null;
    this.pass = null;
    this.trim();
    this.ring.destroy();
    this.device.destroy();
  }

  stats(): RuntimeStats {
    return {
      dispatches: this.dispatches,
      scratchCopies: this.scratchCopies,
      flushes: this.flushes,
      pipelines: this.pipelines.size,
      bindGroups: this.bindGroups.size,
      uniformChunks: this.ring.chunkCount,
      storage: this.storage.stats,
      staging: this.staging.stats,
    };
  }

  /** Largest per-dimension workgroup count (for grid helpers). */
  get maxWorkgroupsPerDimension(): number {
    return this.maxWorkgroups;
  }

  /**
   * The slices to bind, in binding order. WebGPU rejects overlapping writable bindings in one
   * dispatch, and every binding is writable (see kernel.ts), so an in-place call such as
   * add(x, x, y) binds a copy of the later, overlapping binding (an input: kernels list what
   * they write first). The copy is recorded just before the dispatch, so it holds the values
   * the kernel would have read.
   */
  private resolveAliasing(
    op: string,
    kernel: Kernel,
    bindings: Readonly<Record<string, BufferSlice>>,
  ): BufferSlice[] {
    const slices = kernel.bindings.map((name) => {
      const s = bindings[name];
      if (s.byteOffset % STORAGE_ALIGNMENT !== 0) {
        throw new KernelError(
          op,
          `binding '${name}' starts at byte ${s.byteOffset}, not a multiple of ${STORAGE_ALIGNMENT}`,
        );
      }
      return s;
    });
    for (let i = 1; i < slices.length; i++) {
      for (let j = 0; j < i; j++) {
        if (overlaps(slices[i], slices[j])) {
          slices[i] = this.scratchCopy(slices[i]);
          break;
        }
      }
    }
    return slices;
  }

  /** Record a copy of `s` into a pooled scratch buffer, freed when the step is submitted. */
  private scratchCopy(s: BufferSlice): BufferSlice {
    const { buf } = this.storage.acquire(s.byteLength);
    this.pendingFree.push(buf);
    this.encoder ??= this.device.createCommandEncoder({ label: 'step' });
    this.pass?.end();
    this.pass = null;
    this.encoder.copyBufferToBuffer(s.buf.buffer, s.byteOffset, buf.buffer, 0, s.byteLength);
    this.touched.add(buf.id);
    this.scratchCopies++;
    return { buf, byteOffset: 0, byteLength: s.byteLength };
  }

  private createBindGroup(
    kernel: Kernel,
    op: string,
    key: string,
    slices: readonly BufferSlice[],
    uniforms: GPUBuffer | undefined,
  ): GPUBindGroup {
    const entries: GPUBindGroupEntry[] = [];
    if (uniforms) {
      entries.push({
        binding: 0,
        resource: { buffer: uniforms, offset: 0, size: UNIFORM_SLOT_BYTES },
      });
    }
    slices.forEach((s, i) => {
      entries.push({
        binding: 1 + i,
        resource: { buffer: s.buf.buffer, offset: s.byteOffset, size: s.byteLength },
      });
    });
    const layout = this.pipelines.layout(kernel).group;
    const { value, error } = withErrorScope(this.device, () =>
      this.device.createBindGroup({ label: op, layout, entries }),
    );
    this.checks.add(op, error);
    if (this.bindGroups.size >= BIND_GROUP_CACHE_LIMIT) this.bindGroups.clear();
    this.bindGroups.set(key, value);
    return value;
  }
}

function overlaps(a: BufferSlice, b: BufferSlice): boolean {
  return (
    a.buf === b.buf &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength
  );
}

/** "flush of 12 dispatches (matmul, add, activation)" */
function summariseOps(ops: string[]): string {
  const unique = [...new Set(ops)];
  const shown = unique.slice(0, 8).join(', ') + (unique.length > 8 ? ', …' : '');
  return `flush of ${ops.length} dispatch${ops.length === 1 ? '' : 'es'} (${shown})`;
}
