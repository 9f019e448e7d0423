//
// Each job has its file: plan-step.ts (the step), writer.ts, tokenizer.ts, parser.ts,
// execute.ts and tool-steps.ts; importers take everything from here.
export type { PlanStep } from './plan-step';
export * from './writer';
export * from './tokenizer';
export * from './parser';
export * from './execute';
export * from './tool-steps';
