// The op interface that model code calls. Three implementations: the WebGPU backend (WGSL
// kernels, one command buffer per step), the CPU reference backend (plain TypeScript, f32
// storage, f64 accumulation in reductions) and the WebAssembly backend (SIMD kernels over
// one linear memory). Model code never knows which one it has.
//
// Conventions (llm.c style):
// - Every op writes into a preallocated `out` tensor; nothing allocates inside a step.
// - Shapes are row-major; the last dimension is contiguous. Dimension names: B T C L NH V G H.
// - Backward ops take a `d` prefix on gradients. Ops marked "accumulates" ADD into their
//   gradient outputs (so several consumers can contribute); all others overwrite.
// - On WebGPU, ops are recorded and only run at `flush()`; `read()` flushes first and is the
//   only way to get data back. On the CPU backend, ops run immediately.
// - Bad input (mismatched shapes, wrong dtype, a released tensor) throws a `KernelError`
//   naming the op and the shapes. It never produces silent garbage.

export type DType = 'f32' | 'i32';
export type BackendKind = 'webgpu' | 'cpu' | 'wasm';

/** A handle to device (or host) memory. Views share storage with their parent. */
export interface Tensor {
  readonly id: number;
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** Offset in elements inside the underlying storage (non-zero for views). */
  readonly offset: number;
  /** True once released; any use afterwards throws. */
  readonly released: boolean;
}

export type TypedArrayFor<D extends DType> = D extends 'f32' ? Float32Array : Int32Array;

export interface MatmulOptions {
  /** Use Aᵀ: a is stored (…, K, M). */
  transA?: boolean;
  /** Use Bᵀ: b is stored (…, N, K). */
  transB?: boolean;
  /** Add the product into out instead of overwriting. */
  accumulate?: boolean;
}

export interface AttentionShape {
  B: number;
  T: number;
  NH: number;
  /** Head size; C = NH * HS. */
  HS: number;
}

export interface AdamWSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count for bias correction. */
  step: number;
}

/** layerNorm's tensors: x(R,C), w(C), b(C) in; out(R,C), mean(R), rstd(R) written. */
export interface LayerNormTensors {
  out: Tensor;
  mean: Tensor;
  rstd: Tensor;
  x: Tensor;
  w: Tensor;
  b: Tensor;
}

/** layerNormBackward's tensors: the gradients dx(R,C), dw(C), db(C), then what the forward saw and saved. */
export interface LayerNormGrads {
  dx: Tensor;
  dw: Tensor;
  db: Tensor;
  dout: Tensor;
  x: Tensor;
  w: Tensor;
  mean: Tensor;
  rstd: Tensor;
}

/** The per-token inputs of the GRPO loss, N each (T: a tensor, or a backend's storage of one). */
export interface GrpoTokens<T = Tensor> {
  logp: T;
  logpOld: T;
  logpRef: T;
  adv: T;
  mask: T;
}

export interface GrpoTokenSettings {
  clipEps: number;
  beta: number;
  normaliser: number;
}

export type ReduceKind = 'sum' | 'mean' | 'max';
export type Activation = 'gelu' | 'relu' | 'tanh';

export interface Backend {
  readonly kind: BackendKind;
  /** A short human description: adapter name, or "CPU reference". */
  readonly description: string;

  // ---- memory ----
  /** Allocate a zero-filled tensor. On WebGPU storage is 256-byte aligned. */
  tensor(shape: readonly number[], dtype?: DType, name?: string): Tensor;
  /**
   * A view of `size(shape)` elements starting `offset` elements into `parent`.
   * On WebGPU `offset * 4` must be a multiple of 256 (use `alignedSize` when laying out pools).
   */
  view(parent: Tensor, offset: number, shape: readonly number[], name?: string): Tensor;
  write(t: Tensor, data: Float32Array | Int32Array | readonly number[]): void;
  read(t: Tensor): Promise<Float32Array | Int32Array>;
  /** Set every element to zero (f32) or 0 (i32). Recorded like an op. */
  zero(t: Tensor): void;
  /** out = a (same size). */
  copy(out: Tensor, a: Tensor): void;
  release(t: Tensor): void;
  /** Submit recorded work. Never waits for the GPU. */
  flush(): void;
  /** Resolve when all submitted work has finished (tests and benchmarks only). */
  sync(): Promise<void>;
  destroy(): void;

  // ---- linear algebra ----
  /** out(…,M,N) = op(a)(…,M,K) · op(b)(…,K,N). A batch prefix on b must equal a's, or b is 2-D and shared. */
  matmul(out: Tensor, a: Tensor, b: Tensor, opts?: MatmulOptions): void;
  /** out(R,C) = x(R,C) + bias(C). out may be x. */
  biasAdd(out: Tensor, x: Tensor, bias: Tensor): void;
  /** dbias(C) += Σ_r dout(r,C). Accumulates. */
  biasBackward(dbias: Tensor, dout: Tensor): void;

  // ---- elementwise ----
  add(out: Tensor, a: Tensor, b: Tensor): void;
  mul(out: Tensor, a: Tensor, b: Tensor): void;
  /** out = s · a. */
  scale(out: Tensor, a: Tensor, s: number): void;
  /** out = f(x). */
  activation(kind: Activation, out: Tensor, x: Tensor): void;
  /** dx += f'(x) · dout. Accumulates. */
  activationBackward(kind: Activation, dx: Tensor, x: Tensor, dout: Tensor): void;

  // ---- normalisation ----
  /** out(R,C) = (x − mean)·rstd·w + b per row; saves mean(R) and rstd(R) for backward. */
  layerNorm(t: LayerNormTensors, eps?: number): void;
  /** dx(R,C), dw(C), db(C) all accumulate. */
  layerNormBackward(t: LayerNormGrads): void;
  /** Row softmax over the last dimension. */
  softmax(out: Tensor, x: Tensor): void;
  /** dx = y ⊙ (dy − Σ dy⊙y). Overwrites. */
  softmaxBackward(dx: Tensor, y: Tensor, dy: Tensor): void;
  /** Row log-softmax over the last dimension. */
  logSoftmax(out: Tensor, x: Tensor): void;
  /** dx = dy − softmax(x)·Σdy, from y = logSoftmax(x). Overwrites. */
  logSoftmaxBackward(dx: Tensor, y: Tensor, dy: Tensor): void;

  // ---- attention ----
  /**
   * Causal multi-head self-attention with a prefix mask.
   * qkv(B,T,3C) packs q|k|v; out(B,T,C); att(B,NH,T,T) saves the probabilities for backward.
   * prefixLen(B) i32 or null: positions < prefixLen[b] see the whole prefix (bidirectional);
   * every position also sees all earlier positions (causal). Scale 1/√HS.
   */
  attention(
    out: Tensor,
    att: Tensor,
    qkv: Tensor,
    prefixLen: Tensor | null,
    shape: AttentionShape,
  ): void;
  /** dqkv(B,T,3C) accumulates; datt(B,NH,T,T) is scratch. */
  attentionBackward(
    dqkv: Tensor,
    datt: Tensor,
    dout: Tensor,
    qkv: Tensor,
    att: Tensor,
    shape: AttentionShape,
  ): void;

  // ---- embeddings and token losses ----
  /** out(N,C) = table[ids[n]]; ids(N) i32. */
  embedding(out: Tensor, ids: Tensor, table: Tensor): void;
  /** dtable[ids[n]] += dout(n). Accumulates; deterministic. */
  embeddingBackward(dtable: Tensor, dout: Tensor, ids: Tensor): void;
  /** out(N) = logp(N,V)[n, ids[n]]. ids < 0 gives 0. */
  gatherRows(out: Tensor, logp: Tensor, ids: Tensor): void;
  /** dlogp(n, ids[n]) += dout(n). Accumulates. */
  gatherRowsBackward(dlogp: Tensor, dout: Tensor, ids: Tensor): void;
  /**
   * Fused softmax + cross-entropy. logits(N,V), targets(N) i32 (−1 = ignored position).
   * Writes probs(N,V) and losses(N) (0 where ignored).
   */
  crossEntropy(losses: Tensor, probs: Tensor, logits: Tensor, targets: Tensor): void;
  /** dlogits(N,V) = (probs − onehot(target)) · dlosses(n); 0 on ignored rows. Overwrites. */
  crossEntropyBackward(dlogits: Tensor, probs: Tensor, targets: Tensor, dlosses: Tensor): void;

  // ---- reductions ----
  /** Reduce over the last dimension: x(R,C) → out(R). A 1-D x reduces to out(1). */
  reduce(kind: ReduceKind, out: Tensor, x: Tensor): void;
  /** out(1) = √(Σ x²) over the whole tensor. */
  l2Norm(out: Tensor, x: Tensor): void;

  // ---- optimisation ----
  /** Decoupled-weight-decay Adam over flat pools of equal size. Updates params, m, v in place. */
  adamw(params: Tensor, grads: Tensor, m: Tensor, v: Tensor, s: AdamWSettings): void;
  /** grads *= min(1, maxNorm / (norm[0] + 1e-6)), reading norm(1) from memory (no readback). */
  clipByNorm(grads: Tensor, norm: Tensor, maxNorm: number): void;

  // ---- reinforcement-learning reductions ----
  /** GRPO advantages: rewards(N) in groups of G consecutive samples → (r − mean_g) / (std_g + eps). */
  groupNormalize(adv: Tensor, rewards: Tensor, G: number, eps?: number): void;
  /** out(B) = Σ_t γ^t · rewards(B,H)[t]. */
  discountedSum(out: Tensor, rewards: Tensor, gamma: number): void;
  /** out(B) = Σ_t x(B,T)·mask(B,T) / max(1, Σ_t mask). */
  maskedMean(out: Tensor, x: Tensor, mask: Tensor): void;
  /** dx(B,T) += dout(B)·mask/max(1, Σ mask). Accumulates. */
  maskedMeanBackward(dx: Tensor, dout: Tensor, mask: Tensor): void;

  // ---- decoding (KV cache = the qkv buffer) and the GRPO token loss ----
  /** dst(B,T,W)[b, pos, :] = src(B,W)[b, :]. pos is a per-call uniform (recorded, not baked). */
  writeRow(dst: Tensor, src: Tensor, pos: number): void;
  /**
   * out(B,C) = row `pos` of `attention`'s out for the same qkv(B,T,3C) and prefixLen: query
   * pos against keys 0…max(pos, prefixLen−1) (just 0…pos when decoding past the prompt).
   * Rows after `pos` (or past the visible keys) are never read. Overwrites.
   */
  attentionStep(
    out: Tensor,
    qkv: Tensor,
    pos: number,
    prefixLen: Tensor | null,
    shape: AttentionShape,
  ): void;
  /**
   * One token per row of logits(B,V), drawn by inverse CDF (token-id order) with the caller's
   * uniforms(B) in [0,1) from softmax(logits/temperature) restricted to the top-p nucleus (the
   * smallest set, by probability then lowest id, whose mass ≥ topP). temperature 0 = argmax
   * (lowest id on ties). ids(B) i32; logp(B) = log softmax(logits)[id] at temperature 1 and
   * without truncation: the policy's own log-prob, comparable with the training forward's.
   */
  sampleTokens(
    ids: Tensor,
    logp: Tensor,
    logits: Tensor,
    uniforms: Tensor,
    temperature: number,
    topP: number,
  ): void;
  /**
   * Per-token GRPO loss over N tokens: ratio = exp(logp − logpOld),
   * pg = −min(ratio·adv, clip(ratio, 1−clipEps, 1+clipEps)·adv),
   * kl = exp(logpRef − logp) − (logpRef − logp) − 1 (k3),
   * loss(N) = mask·(pg + beta·kl)/normaliser and dlogp(N) = ∂loss/∂logp. Both overwrite;
   * mask = 0 gives exactly 0. Gradient through the min is 0 only where the clipped term is
   * strictly smaller (adv > 0, ratio > 1+ε or adv < 0, ratio < 1−ε).
   */
  grpoTokenLoss(loss: Tensor, dlogp: Tensor, tokens: GrpoTokens, s: GrpoTokenSettings): void;
  /** Logging companion of grpoTokenLoss: kl(N) = mask·k3, clipped(N) = mask·[zero-gradient branch]. */
  grpoTokenStats(kl: Tensor, clipped: Tensor, tokens: GrpoTokens, clipEps: number): void;
}

/** Raised for bad input to an op; the message names the op and the shapes. */
export class KernelError extends Error {
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
    this.name = 'KernelError';
  }
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Round an element count up so the next view starts on a 256-byte boundary. */
export function alignedSize(elements: number): number {
  return Math.ceil(elements / 64) * 64;
}
