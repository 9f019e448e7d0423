// WebGPU in Node for tests and the CLI: the `webgpu` package (Dawn) on whatever Vulkan driver
// is present; on machines without a GPU that is SwiftShader, found through VK_ICD_FILENAMES.

import { create, globals } from 'webgpu';
import { GpuUnavailableError } from './runtime';
import { WebGpuBackend, type CreateWebGpuBackendOptions } from './webgpu-backend';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let gpu: GPU | null = null;

/** The process-wide Dawn GPU object (installs the WebGPU globals once). */
export function nodeGpu(): GPU {
  if (!gpu) {
    Object.assign(globalThis, globals);
    gpu = create([]) as GPU;
  }
  return gpu;
}

export type NodeBackendOptions = Omit<CreateWebGpuBackendOptions, 'gpu'>;

/** A WebGpuBackend on Dawn. Throws a clear, actionable error when there is no adapter. */
export async function createNodeBackend(opts: NodeBackendOptions = {}): Promise<WebGpuBackend> {
  try {
    return await WebGpuBackend.create({ ...opts, gpu: nodeGpu() });
  } catch (e) {
    if (!(e instanceof GpuUnavailableError)) throw e;
    const icd = process.env.VK_ICD_FILENAMES;
    throw new GpuUnavailableError(
      `${e.message}. Dawn found no Vulkan adapter: VK_ICD_FILENAMES is ` +
        `${icd ? `'${icd}'` : 'not set'}; on a machine without a GPU set ` +
        `VK_ICD_FILENAMES=${SWIFTSHADER_ICD} (SwiftShader, shipped with Debian's chromium) ` +
        'and make sure the Vulkan loader is installed (apt-get install libvulkan1).',
    );
  }
}
