// Evaluation of any agent (a checkpoint through checkpointAgent, or a suite baseline through
// fromSuiteAgent) on the seven suites with their own metrics. CLI: `npm run eval`.
export * from './evaluate';
export * from './load';
export * from './bootstrap';
export * from './first-miss';
