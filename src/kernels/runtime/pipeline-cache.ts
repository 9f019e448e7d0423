// Shader modules cached by WGSL source; pipelines by source + entry point + layout + override
// constants. Tunables (tile sizes, transposes, accumulate) are WGSL `override` constants set
// here at pipeline creation, never spliced into the source text.

import type { ErrorChecks } from './error-scope';
import { withErrorScope } from './error-scope';
import { GpuOpError } from './errors';
import { type Kernel, layoutEntries } from './kernel';

export type OverrideConstants = Readonly<Record<string, number | boolean>>;

export interface KernelLayout {
  group: GPUBindGroupLayout;
  pipeline: GPUPipelineLayout;
}

export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly layouts = new Map<string, KernelLayout>();
  /** source → (entry|layout|constants → pipeline) */
  private readonly pipelines = new Map<string, Map<string, GPUComputePipeline>>();
  private created = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly checks: ErrorChecks,
  ) {}

  layout(kernel: Kernel): KernelLayout {
    let l = this.layouts.get(kernel.layoutKey);
    if (!l) {
      const group = this.device.createBindGroupLayout({
        label: `layout ${kernel.layoutKey}`,
        entries: layoutEntries(kernel.layoutKey),
      });
      const pipeline = this.device.createPipelineLayout({ bindGroupLayouts: [group] });
      l = { group, pipeline };
      this.layouts.set(kernel.layoutKey, l);
    }
    return l;
  }

  /**
   * The pipeline, created synchronously on first use. A WGSL or layout error does not throw
   * here; it is reported, naming the kernel's op, at the next read() or sync().
   */
  get(kernel: Kernel, constants: OverrideConstants = {}): GPUComputePipeline {
    const bySource = this.bySource(kernel.source);
    const key = pipelineKey(kernel, constants);
    let p = bySource.get(key);
    if (!p) {
      const { value, error } = withErrorScope(this.device, () =>
        this.device.createComputePipeline(this.descriptor(kernel, constants)),
      );
      this.checks.add(kernel.name, error);
      p = value;
      bySource.set(key, p);
      this.created++;
    }
    return p;
  }

  /** Compile ahead of use, off the main path; throws a GpuOpError naming the op on failure. */
  async prepare(kernel: Kernel, constants: OverrideConstants = {}): Promise<void> {
    const bySource = this.bySource(kernel.source);
    const key = pipelineKey(kernel, constants);
    if (bySource.has(key)) return;
    const { value, error } = withErrorScope(this.device, () =>
      this.device.createComputePipelineAsync(this.descriptor(kernel, constants)),
    );
    let p: GPUComputePipeline;
    try {
      p = await value;
    } catch (e) {
      const gpuMessage = e instanceof Error ? e.message : String(e);
      throw new GpuOpError(kernel.name, 'pipeline', gpuMessage);
    } finally {
      await error; // the module's own errors are also in the rejection above
    }
    if (!bySource.has(key)) {
      bySource.set(key, p);
      this.created++;
    }
  }

  get size(): number {
    return this.created;
  }

  private bySource(source: string): Map<string, GPUComputePipeline> {
    let m = this.pipelines.get(source);
    if (!m) this.pipelines.set(source, (m = new Map()));
    return m;
  }

  private module(kernel: Kernel): GPUShaderModule {
    let m = this.modules.get(kernel.source);
    if (!m) {
      m = this.device.createShaderModule({ code: kernel.source, label: kernel.name });
      this.modules.set(kernel.source, m);
    }
    return m;
  }

  private descriptor(kernel: Kernel, constants: OverrideConstants): GPUComputePipelineDescriptor {
    const numeric: Record<string, number> = {};
    for (const [k, v] of Object.entries(constants)) numeric[k] = typeof v === 'boolean' ? +v : v;
    return {
      label: kernel.name,
      layout: this.layout(kernel).pipeline,
      compute: { module: this.module(kernel), entryPoint: kernel.entryPoint, constants: numeric },
    };
  }
}

function pipelineKey(kernel: Kernel, constants: OverrideConstants): string {
  const names = Object.keys(constants).sort();
  const c = names.map((n) => `${n}=${+constants[n]}`).join(',');
  return `${kernel.entryPoint}|${kernel.layoutKey}|${c}`;
}
