// The settings of a training run: one schema (schema.ts) shared by the CLI, the trainer and the UI.
export * from './schema';
