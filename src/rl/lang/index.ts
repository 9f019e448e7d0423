// The planner's language: vocabulary (vocab.ts, built from the world by build-vocab.ts), the
// action-language grammar (grammar.ts) and its writer, tokenizer and parser (action-language.ts).
export * from './grammar';
export * from './vocab';
export * from './build-vocab';
export * from './action-language';
