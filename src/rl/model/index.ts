// The planner model: config (config.ts), parameters (params.ts), observation encoder
// (encode.ts), forward and backward (forward.ts, backward.ts), the Planner that owns the
// memory and the training step (planner.ts), KV-cache sampling (sample.ts) and checkpoints
// (checkpoint.ts; Node file helpers in checkpoint-node.ts, imported directly).
export * from './config';
export * from './encode';
export * from './planner';
export * from './sample';
export * from './checkpoint';
export { plannerForward, trunkForward, type PlannerCore } from './forward';
export { plannerBackward } from './backward';
export type { ParamTensors, LayerParams } from './params';
export type { Acts, DActs, Inputs, LayerActs } from './acts';
