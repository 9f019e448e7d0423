// Benchmark suites: the seven suites and their template membership (spec.ts), splits and
// instances (splits.ts), offline logs (offline.ts), the agent interface (agent.ts), baseline
// agents (baselines.ts) and evaluation (evaluate.ts).
//   evaluate(heuristicAgent(), 'web-offline')  -> { stepSuccessRate, elementAccuracy, ... }
//   suiteInstances('mobile-online', 'train', 1000)  -> training prompts
export * from './spec';
export * from './splits';
export * from './offline';
export * from './agent';
export * from './baselines';
export * from './evaluate';
