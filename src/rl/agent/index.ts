// The agent that evaluation and stage 2 use: the batched agent interface and the adapter from
// the suites' synchronous agents (batch-agent.ts), forecasters (forecaster.ts), grounding
// (grounding.ts; a stand-in until the frozen ONNX grounder's runner lands), the receding-
// horizon planner agent (planner-agent.ts) and the online loop (receding-horizon.ts).
//   const agent = plannerAgent(new PlannerForecaster(planner, sampler, vocab, { rng }),
//                              describeMatchGrounder());
//   const outcomes = await runOnlineEpisodes(agent, evaluationInstances('mobile-online', 20));
export * from './batch-agent';
export * from './forecaster';
export * from './grounding';
export * from './planner-agent';
export * from './receding-horizon';
