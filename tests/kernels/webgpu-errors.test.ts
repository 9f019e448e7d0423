// GPU-side failures reach the caller with the op's name: invalid WGSL, invalid commands at
// submit, device loss; and ops not yet on WebGPU say so.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KernelError } from '../../src/kernels/backend';
import { defineKernel, DeviceLostError, GpuOpError } from '../../src/kernels/runtime';
import type { GpuTensor } from '../../src/kernels/webgpu-backend';
import { getGpuBackend, newGpuBackend, TEST_MATMUL_VARIANT } from './gpu';

const broken = defineKernel({
  name: 'brokenOp',
  source: `
    struct Params { n: u32 }
    @group(0) @binding(0) var<uniform> p: Params;
    @group(0) @binding(1) var<storage, read_write> out: array<f32>;
    @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
      out[g.x] = undefinedFunction(p.n);
    }`,
  bindings: ['out'],
  params: [['n', 'u32']],
});

describe('GPU errors name the op', () => {
  it('invalid WGSL in a dispatch surfaces at sync() naming the op', async () => {
    const be = await getGpuBackend();
    const t = be.tensor([64]);
    be.rt.dispatch(broken, {
      bindings: { out: (t as GpuTensor).slice },
      params: { n: 1 },
      workgroups: [1],
    });
    await expect(be.sync()).rejects.toThrow(
      /brokenOp.*WebGPU validation error.*undefinedFunction/s,
    );
    // Reported once: the runtime carries on.
    be.scale(t, t, 2);
    await expect(be.sync()).resolves.toBeUndefined();
    be.release(t);
  });

  it('prepare() rejects with a GpuOpError naming the op', async () => {
    const be = await getGpuBackend();
    // A source of its own: the dispatch above already cached (invalid) pipelines for `broken`.
    const alsoBroken = defineKernel({ ...broken, source: broken.source + '\n// prepared' });
    const err = await be.rt.prepare(alsoBroken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuOpError);
    expect((err as GpuOpError).op).toBe('brokenOp');
  });

  it('an invalid command at submit names the ops of that flush', async () => {
    const be = await newGpuBackend({ matmulVariant: TEST_MATMUL_VARIANT });
    const t = be.tensor([16]);
    const u = be.tensor([16]);
    (t as GpuTensor).slice.buf.buffer.destroy(); // sabotage behind the backend's back
    be.zero(t);
    be.add(u, u, u);
    await expect(be.read(u)).rejects.toThrow(/flush of 2 dispatches \(zero, add\)/);
  });

  it('ops validate their shapes before recording anything, naming the op', async () => {
    const be = await getGpuBackend();
    const x = be.tensor([2, 3]);
    const bad = be.tensor([2, 4]);
    expect(() => be.softmax(bad, x)).toThrow(KernelError);
    expect(() => be.softmax(bad, x)).toThrow(/softmax: .*\(2,3\).*\(2,4\)/);
    be.release(x);
    be.release(bad);
  });
});

describe('device loss', () => {
  it('fires the callback on device.destroy() and refuses further use clearly', async () => {
    const be = await newGpuBackend({ matmulVariant: TEST_MATMUL_VARIANT });
    const t = be.tensor([4]);
    const lost = new Promise<{ reason: string }>((r) => be.onDeviceLost(r));
    be.rt.device.destroy();
    expect((await lost).reason).toBe('destroyed');
    expect(() => be.tensor([4])).toThrow(DeviceLostError);
    expect(() => be.scale(t, t, 1)).toThrow(/scale: the WebGPU device was lost \(destroyed/);
    await expect(be.read(t)).rejects.toThrow(DeviceLostError);
    await expect(be.sync()).rejects.toThrow(/create a new backend/);
  });
});

describe('no adapter', () => {
  it('createNodeBackend names VK_ICD_FILENAMES and libvulkan1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracelab-noadapter-'));
    const script = join(dir, 'probe.ts');
    const node = resolve(__dirname, '../../src/kernels/node.ts');
    writeFileSync(
      script,
      `import { createNodeBackend } from ${JSON.stringify(node)};\n` +
        `createNodeBackend().then(() => console.log('UNEXPECTED ADAPTER'), (e) => console.log(e.message));\n`,
    );
    const viteNode = resolve(__dirname, '../../node_modules/.bin/vite-node');
    const { stdout } = await promisify(execFile)(viteNode, [script], {
      env: { ...process.env, VK_ICD_FILENAMES: join(dir, 'missing_icd.json') },
      cwd: resolve(__dirname, '../..'),
    });
    expect(stdout).toMatch(/no GPU adapter/);
    expect(stdout).toMatch(/VK_ICD_FILENAMES is '.*missing_icd\.json'/);
    expect(stdout).toMatch(/libvulkan1/);
  });
});
