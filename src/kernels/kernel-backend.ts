// The ops of the Backend interface, written once for every backend: each op checks its
// arguments (validate.ts) and hands them, with the dimensions the check derived, to the
// backend's kernel for that op. A backend supplies storage and a `kernels` table, nothing
// else; the op signatures exist only in the interface (backend.ts).
import type { Backend } from './backend';
import { validate, type OpDims, type OpName } from './validate';

/** A backend's kernel for each op: called with validated arguments and their dimensions. */
export type Kernels = {
  [K in OpName]: (d: OpDims<K>, ...args: Parameters<Backend[K]>) => void;
};

export abstract class KernelBackend implements Pick<Backend, OpName> {
  /** This backend's kernels (a backend that extends another one spreads its table). */
  protected abstract readonly kernels: Kernels;

  /** Op K of the interface: check the arguments, then run this backend's kernel. */
  private op<K extends OpName>(name: K): Backend[K] {
    const check = validate[name] as (...args: Parameters<Backend[K]>) => OpDims<K>;
    const run = (...args: Parameters<Backend[K]>): void => {
      const kernel = this.kernels[name] as (d: OpDims<K>, ...a: Parameters<Backend[K]>) => void;
      kernel(check(...args), ...args);
    };
    return run as Backend[K];
  }

  readonly zero = this.op('zero');
  readonly copy = this.op('copy');

  // ---- linear algebra ----
  readonly matmul = this.op('matmul');
  readonly biasAdd = this.op('biasAdd');
  readonly biasBackward = this.op('biasBackward');

  // ---- elementwise ----
  readonly add = this.op('add');
  readonly mul = this.op('mul');
  readonly scale = this.op('scale');
  readonly activation = this.op('activation');
  readonly activationBackward = this.op('activationBackward');

  // ---- normalisation ----
  readonly layerNorm = this.op('layerNorm');
  readonly layerNormBackward = this.op('layerNormBackward');
  readonly softmax = this.op('softmax');
  readonly softmaxBackward = this.op('softmaxBackward');
  readonly logSoftmax = this.op('logSoftmax');
  readonly logSoftmaxBackward = this.op('logSoftmaxBackward');

  // ---- attention ----
  readonly attention = this.op('attention');
  readonly attentionBackward = this.op('attentionBackward');

  // ---- embeddings and token losses ----
  readonly embedding = this.op('embedding');
  readonly embeddingBackward = this.op('embeddingBackward');
  readonly gatherRows = this.op('gatherRows');
  readonly gatherRowsBackward = this.op('gatherRowsBackward');
  readonly crossEntropy = this.op('crossEntropy');
  readonly crossEntropyBackward = this.op('crossEntropyBackward');

  // ---- reductions ----
  readonly reduce = this.op('reduce');
  readonly l2Norm = this.op('l2Norm');

  // ---- optimisation ----
  readonly adamw = this.op('adamw');
  readonly clipByNorm = this.op('clipByNorm');

  // ---- reinforcement-learning reductions ----
  readonly groupNormalize = this.op('groupNormalize');
  readonly discountedSum = this.op('discountedSum');
  readonly maskedMean = this.op('maskedMean');
  readonly maskedMeanBackward = this.op('maskedMeanBackward');

  // ---- decoding and the GRPO token loss ----
  readonly writeRow = this.op('writeRow');
  readonly attentionStep = this.op('attentionStep');
  readonly sampleTokens = this.op('sampleTokens');
  readonly grpoTokenLoss = this.op('grpoTokenLoss');
  readonly grpoTokenStats = this.op('grpoTokenStats');
}
