// Runs before every test file (vitest.config.ts setupFiles), also when files share a process.
import { afterAll } from 'vitest';
import { releaseGpuBackends } from './kernels/gpu';

afterAll(releaseGpuBackends);
