// Rewards of the planner: the stage-1 trajectory reward and its settings.
export * from './settings';
export * from './trajectory';
export * from './repeat';
