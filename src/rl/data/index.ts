// The planner's data: oracle episodes (episodes.ts), prompts sampled along them (prompts.ts),
// per-update random streams (streams.ts) and the frozen vocabulary (vocab-file.ts).
export * from './episodes';
export * from './prompts';
export * from './streams';
export * from './vocab-file';
