// Device acquisition: one helper for the browser (`navigator.gpu`) and Node (the `webgpu`
// package's GPU object passed in). It asks for the adapter's real storage limits (the defaults
// are far smaller than what training needs) and for the optional features we can use.

/** Everything the UI may want to show about the GPU, as plain serialisable data. */
export interface GpuInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for software adapters such as SwiftShader. */
  isFallbackAdapter: boolean;
  features: string[];
  limits: Record<string, number>;
}

export interface GpuDevice {
  device: GPUDevice;
  info: GpuInfo;
}

/** Features used when present; none is required. */
const OPTIONAL_FEATURES: readonly GPUFeatureName[] = ['timestamp-query', 'subgroups'];

/** Limits raised to the adapter's maximum (the spec defaults are lower). */
const RAISED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
] as const;

/** Limits reported to the UI (the raised ones plus a few that shape kernels). */
const REPORTED_LIMITS = [
  ...RAISED_LIMITS,
  'maxComputeWorkgroupsPerDimension',
  'maxUniformBufferBindingSize',
  'minStorageBufferOffsetAlignment',
  'minUniformBufferOffsetAlignment',
] as const;

export class GpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

/** Request an adapter and a device with raised limits and the optional features present. */
export async function requestGpuDevice(gpu?: GPU): Promise<GpuDevice> {
  const api = gpu ?? (typeof navigator !== 'undefined' ? navigator.gpu : undefined);
  if (!api) throw new GpuUnavailableError('WebGPU is not available (no navigator.gpu)');
  const adapter = await api.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new GpuUnavailableError('WebGPU is available but no GPU adapter was found');

  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });

  // `isFallbackAdapter` moved from the adapter to its info; read whichever exists.
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return { device, info: deviceInfo(device, adapter.info, legacy) };
}

/** Describe a device (for callers that acquired it themselves). */
export function deviceInfo(
  device: GPUDevice,
  adapterInfo?: GPUAdapterInfo,
  isFallback?: boolean,
): GpuInfo {
  const a: Partial<GPUAdapterInfo> = adapterInfo ?? device.adapterInfo ?? {};
  const limits: Record<string, number> = {};
  for (const name of REPORTED_LIMITS) limits[name] = device.limits[name];
  return {
    vendor: a.vendor ?? '',
    architecture: a.architecture ?? '',
    device: a.device ?? '',
    description: a.description ?? '',
    isFallbackAdapter: Boolean(a.isFallbackAdapter ?? isFallback),
    features: [...device.features].sort(),
    limits,
  };
}

/** A stable key for per-adapter caches (autotune results). */
export function adapterKey(info: GpuInfo): string {
  return [info.vendor, info.architecture, info.device, info.description].join('|');
}

/** "google swiftshader (SwiftShader driver 5.0.0, fallback)" */
export function describeGpu(info: GpuInfo): string {
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown GPU';
  const extra = [info.description, info.isFallbackAdapter ? 'fallback' : '']
    .filter(Boolean)
    .join(', ');
  return extra ? `${name} (${extra})` : name;
}
