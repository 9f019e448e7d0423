// Elementwise ops, copy/zero and activations (forward and backward) on WebGPU against the
// CPU reference.
import { describe, it } from 'vitest';
import { cases as activationCases } from '../../src/kernels/cases/activation.cases';
import { cases as elementwiseCases } from '../../src/kernels/cases/elementwise.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { expectParity, getGpuBackend } from './gpu';

const cpu = new CpuBackend();

describe('elementwise vs CPU', () => {
  it.each(elementwiseCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

describe('activations vs CPU', () => {
  it.each(activationCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});
