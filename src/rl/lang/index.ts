// The planner's language: the vocabulary and action grammar (src/text, shared with the grounder;
// the vocabulary is built from the world by build-vocab.ts) and the writer, tokenizer and parser
// (action-language.ts).
export * from '../../text/grammar';
export * from '../../text/vocab';
export * from './build-vocab';
export * from './action-language';
