// Loads the WebAssembly kernels (built from ./assembly by `npm run build:wasm`; a unit test
// fails when the committed kernels.wasm differs from a fresh build) over a given memory.
// The bytes live in a generated string module, so the same import works in Node, workers and pages.
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels-wasm';

/** The module's exports; pointers are byte addresses, sizes are element counts. */
export interface WasmKernels {
  heapBase(): number;
  matmulScratchBytes(N: number): number;
  matmulRows(
    out: number,
    a: number,
    b: number,
    batch: number,
    M: number,
    N: number,
    K: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
    bBatched: boolean,
    scratch: number,
    rowStart: number,
    rowEnd: number,
  ): void;
  attentionForward(
    out: number,
    att: number,
    qkv: number,
    prefix: number,
    B: number,
    T: number,
    NH: number,
    HS: number,
  ): void;
  attentionBackward(
    dqkv: number,
    datt: number,
    dout: number,
    qkv: number,
    att: number,
    B: number,
    T: number,
    NH: number,
    HS: number,
  ): void;
  attentionStep(
    out: number,
    qkv: number,
    prefix: number,
    pos: number,
    B: number,
    T: number,
    NH: number,
    HS: number,
    scores: number,
  ): void;
  crossEntropyForward(
    losses: number,
    probs: number,
    logits: number,
    targets: number,
    N: number,
    V: number,
  ): void;
  crossEntropyBackward(
    dlogits: number,
    probs: number,
    targets: number,
    dlosses: number,
    N: number,
    V: number,
  ): void;
  /** kind: 0 gelu, 1 relu, 2 tanh. */
  activationForward(kind: number, out: number, x: number, n: number): void;
  activationBackward(kind: number, dx: number, x: number, dout: number, n: number): void;
  add(out: number, a: number, b: number, n: number): void;
  biasAdd(out: number, x: number, bias: number, R: number, C: number): void;
  biasBackward(dbias: number, dout: number, R: number, C: number): void;
  layerNormForward(
    out: number,
    mean: number,
    rstd: number,
    x: number,
    w: number,
    b: number,
    R: number,
    C: number,
    eps: number,
  ): void;
  layerNormBackward(
    dx: number,
    dw: number,
    db: number,
    dout: number,
    x: number,
    w: number,
    mean: number,
    rstd: number,
    R: number,
    C: number,
  ): void;
  softmaxForward(out: number, x: number, R: number, C: number): void;
  logSoftmaxForward(out: number, x: number, R: number, C: number): void;
  softmaxBackward(dx: number, y: number, dy: number, R: number, C: number): void;
  logSoftmaxBackward(dx: number, y: number, dy: number, R: number, C: number): void;
  mul(out: number, a: number, b: number, n: number): void;
  scale(out: number, a: number, s: number, n: number): void;
  /** kind: 0 sum, 1 mean, 2 max. */
  reduceRows(kind: number, out: number, x: number, R: number, C: number): void;
  /** Returns −1, or the first row with no finite maximum. Temperature 0 or topP = 1 (see sampleTokensTopP). */
  sampleTokens(
    ids: number,
    logp: number,
    logits: number,
    uniforms: number,
    B: number,
    V: number,
    temperature: number,
  ): number;
  /** temperature > 0, topP < 1; scratch: 13·V bytes. Returns as sampleTokens. */
  sampleTokensTopP(
    ids: number,
    logp: number,
    logits: number,
    uniforms: number,
    B: number,
    V: number,
    temperature: number,
    topP: number,
    scratch: number,
  ): number;
  embeddingForward(out: number, ids: number, table: number, N: number, C: number): void;
  embeddingBackward(dtable: number, dout: number, ids: number, N: number, C: number): void;
  gatherRowsForward(out: number, logp: number, ids: number, N: number, V: number): void;
  gatherRowsBackward(dlogp: number, dout: number, ids: number, N: number, V: number): void;
  discountedSum(out: number, rewards: number, gamma: number, B: number, H: number): void;
  maskedMeanForward(out: number, x: number, mask: number, B: number, T: number): void;
  maskedMeanBackward(dx: number, dout: number, mask: number, B: number, T: number): void;
  zeroBytes(p: number, bytes: number): void;
  copyBytes(dst: number, src: number, bytes: number): void;
  writeRow(dst: number, src: number, B: number, T: number, W: number, pos: number): void;
  /** c1 = 1 − β1^step, c2 = 1 − β2^step. */
  adamw(
    params: number,
    grads: number,
    m: number,
    v: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    c1: number,
    c2: number,
  ): void;
  scaleGrads(grads: number, factor: number, n: number): void;
  l2Norm(out: number, x: number, n: number): void;
  groupNormalize(adv: number, rewards: number, N: number, G: number, eps: number): void;
  grpoTokenLoss(
    loss: number,
    dlogp: number,
    logp: number,
    logpOld: number,
    logpRef: number,
    adv: number,
    mask: number,
    N: number,
    clipEps: number,
    beta: number,
    normaliser: number,
  ): void;
  grpoTokenStats(
    kl: number,
    clipped: number,
    logp: number,
    logpOld: number,
    logpRef: number,
    adv: number,
    mask: number,
    N: number,
    clipEps: number,
  ): void;
}

const compiled = new Map<boolean, Promise<WebAssembly.Module>>();

function wasmBytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The compiled module for a plain or a shared memory (compiled once per realm). */
export function kernelModule(shared = false): Promise<WebAssembly.Module> {
  let m = compiled.get(shared);
  if (!m) {
    m = WebAssembly.compile(wasmBytes(shared ? KERNELS_SHARED_WASM_BASE64 : KERNELS_WASM_BASE64));
    compiled.set(shared, m);
  }
  return m;
}

/** Pages the shared build declares as its maximum (asconfig.json, target shared). */
export const SHARED_MAX_PAGES = 16384;

/** Instantiate the kernels over `memory` (the shared build when the memory is shared). */
export async function instantiateKernels(
  memory: WebAssembly.Memory,
  shared = false,
): Promise<WasmKernels> {
  const instance = await WebAssembly.instantiate(await kernelModule(shared), {
    env: {
      memory,
      abort: (_msg: number, _file: number, line: number, col: number) => {
        throw new Error(`wasm kernel aborted at ${line}:${col}`);
      },
    },
  });
  return instance.exports as unknown as WasmKernels;
}
