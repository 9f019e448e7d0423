// Stage 2, grounded GRPO: the reward of executing a forecast's first step through the frozen
// grounder or the toolbox (reward.ts, score.ts), the ONNX grounder as the agent's Grounder
// (frozen-grounder.ts) and the stage runner (stage2.ts; registered by grounded.stage.ts).
export * from './reward';
export * from './score';
export * from './frozen-grounder';
export * from './stage2';
