// The WebAssembly kernels: one module over an imported linear memory. JS owns the memory
// layout (src/kernels/wasm/arena.ts); kernels never allocate.
export { matmulRows, matmulScratchBytes } from './matmul';
export { attentionForward, attentionBackward, attentionStep } from './attention';
export { crossEntropyForward, crossEntropyBackward } from './loss';
export { activationForward, activationBackward } from './activation';
export { add, biasAdd, biasBackward, layerNormForward, layerNormBackward } from './rows';
export { sampleTokens, sampleTokensTopP } from './sample';
export { adamw, l2Norm, scaleGrads } from './optim';
export {
  embeddingBackward,
  embeddingForward,
  gatherRowsBackward,
  gatherRowsForward,
} from './embedding';
export { groupNormalize, grpoTokenLoss, grpoTokenStats } from './grpo';
export { logSoftmaxBackward, logSoftmaxForward, softmaxBackward, softmaxForward } from './softmax';
export { discountedSum, maskedMeanBackward, maskedMeanForward } from './rl';
export { copyBytes, writeRow, zeroBytes } from './memory';
export { mul, reduceRows, scale } from './elementwise';

/** First byte JS may use: everything below belongs to the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
