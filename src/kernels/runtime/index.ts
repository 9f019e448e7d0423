// The WebGPU runtime: device, buffer pool, pipeline cache, step recorder, readback.
export {
  requestGpuDevice,
  deviceInfo,
  adapterKey,
  describeGpu,
  GpuUnavailableError,
} from './device';
export type { GpuDevice, GpuInfo } from './device';
export { GpuRuntime, STORAGE_ALIGNMENT } from './runtime';
export type { BufferSlice, DispatchArgs, DeviceLostInfo, RuntimeStats } from './runtime';
export { defineKernel, UNIFORM_SLOT_BYTES } from './kernel';
export type { Kernel, KernelSpec, ParamType } from './kernel';
export type { OverrideConstants } from './pipeline-cache';
export { GpuOpError, DeviceLostError } from './errors';
export { sizeClass } from './buffer-pool';
export type { PooledBuffer, PoolStats } from './buffer-pool';
export { grid1d } from './grid';
