// The one settings schema of a training run, gathered from its parts: the typed settings and
// their error (settings.ts), the field table (fields.ts), named presets (presets.ts),
// validation (validate.ts), the planner shape they give (model-shape.ts) and the flat string
// map of the URL hash (flat.ts). Importers take everything from here.
export * from './settings';
export * from './fields';
export * from './presets';
export * from './validate';
export { plannerConfigOf } from './model-shape';
export * from './flat';
