// Stage 1, trajectory-level GRPO: the CPU math (math.ts), rollout, scoring, the frozen
// reference, the GPU loss wiring, the shared update, held-out evaluation and the stage runner
// (registered with the trainer by grpo.stage.ts).
export * from './math';
export * from './rollout';
export * from './score';
export * from './reference';
export * from './loss';
export * from './update';
export * from './evaluate';
export * from './stage1';
