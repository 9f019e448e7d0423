// The CPU reference backend and the free functions that hold its math.
export { CpuBackend } from './backend';
export { CpuTensor } from './tensor';
export * from './linear';
export * from './elementwise';
export * from './norm';
export * from './attention';
export * from './embedding';
export * from './loss';
export * from './reduce';
export * from './optim';
export * from './rl';
export * from './decode';
export * from './sample';
export * from './grpo';
