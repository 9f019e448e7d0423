// Inspecting the planner for the views that teach: one episode played with the receding-horizon
// loop and recorded step by step (receding.ts, with a planner-backed forecaster in
// forecaster.ts and the click grounding in grounding.ts), and one GRPO update on one prompt,
// explained forecast by forecast (explain.ts). Pure and backend-agnostic.
export * from './grounding';
export * from './receding';
export * from './forecaster';
export * from './explain';
