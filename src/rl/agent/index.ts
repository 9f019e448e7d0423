// The agent that evaluation, stage 2 and the agent viewer use: the batched agent interface and
// the adapter from the suites' synchronous agents (batch-agent.ts), forecasters
// (forecaster.ts), grounding (grounding.ts; a stand-in until the frozen ONNX grounder's runner
// lands), the receding-horizon planner agent (planner-agent.ts) and THE online loop
// (receding-horizon.ts; src/rl/inspect records its episodes through an observer).
//   const agent = plannerAgent(new PlannerForecaster(planner, sampler, vocab, rng),
//                              textMatchGrounder, { H: 5 });
//   const outcomes = await runOnlineEpisodes(agent, evaluationInstances('mobile-online', 20));
export * from './batch-agent';
export * from './forecaster';
export * from './grounding';
export * from './planner-agent';
export * from './receding-horizon';
