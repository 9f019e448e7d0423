// The CPU reference backend: f32 storage, f64 accumulation, ops run immediately. Every op
// validates its arguments with the shared checks, then calls the free function that holds
// the math (the same function the gradient tests run in f64).
import type {
  Activation,
  AdamWSettings,
  AttentionShape,
  Backend,
  BackendKind,
  DType,
  MatmulOptions,
  ReduceKind,
  Tensor,
} from '../backend';
import { validate } from '../validate';
import { attentionBackward, attentionForward } from './attention';
import { attentionStep, writeRow } from './decode';
import { grpoTokenLoss, grpoTokenStats } from './grpo';
import { sampleTokens } from './sample';
import {
  activationBackward,
  activationForward,
  addForward,
  mulForward,
  scaleForward,
} from './elementwise';
import {
  embeddingBackward,
  embeddingForward,
  gatherRowsBackward,
  gatherRowsForward,
} from './embedding';
import { biasAddForward, biasBackward, matmulForward } from './linear';
import { crossEntropyBackward, crossEntropyForward } from './loss';
import {
  layerNormBackward,
  layerNormForward,
  logSoftmaxBackward,
  logSoftmaxForward,
  softmaxBackward,
  softmaxForward,
} from './norm';
import { adamwUpdate, clipByNorm } from './optim';
import { l2NormForward, reduceForward } from './reduce';
import { discountedSum, groupNormalize, maskedMeanBackward, maskedMeanForward } from './rl';
import { asCpu, CpuStorage, CpuTensor } from './tensor';

export class CpuBackend implements Backend {
  readonly kind: BackendKind = 'cpu';
  readonly description: string = 'CPU reference';
  protected nextId = 1;

  /** Narrow t to this backend's tensor type (a backend that extends this one overrides it). */
  protected own(op: string, t: Tensor): CpuTensor {
    return asCpu(op, t);
  }

  /** The f32 elements of t (validated by the caller). */
  protected f(op: string, t: Tensor): Float32Array {
    return this.own(op, t).array() as Float32Array;
  }

  /** The i32 elements of t (validated by the caller). */
  protected i(op: string, t: Tensor): Int32Array {
    return this.own(op, t).array() as Int32Array;
  }

  // ---- memory ----
  tensor(shape: readonly number[], dtype: DType = 'f32', name = 'tensor'): Tensor {
    const { size } = validate.tensor(shape, dtype);
    const data = dtype === 'f32' ? new Float32Array(size) : new Int32Array(size);
    return new CpuTensor(
      this.nextId++,
      name,
      [...shape],
      dtype,
      size,
      0,
      new CpuStorage(data),
      true,
    );
  }

  view(parent: Tensor, offset: number, shape: readonly number[], name?: string): Tensor {
    const { size } = validate.view(parent, offset, shape);
    const p = this.own('view', parent);
    const viewName = name ?? `${p.name}[${offset}:${offset + size}]`;
    return new CpuTensor(
      this.nextId++,
      viewName,
      [...shape],
      p.dtype,
      size,
      p.offset + offset,
      p.storage,
      false,
    );
  }

  write(t: Tensor, data: Float32Array | Int32Array | readonly number[]): void {
    validate.write(t, data);
    this.own('write', t).array().set(data);
  }

  read(t: Tensor): Promise<Float32Array | Int32Array> {
    validate.read(t);
    return Promise.resolve(this.own('read', t).array().slice());
  }

  zero(t: Tensor): void {
    validate.zero(t);
    this.own('zero', t).array().fill(0);
  }

  copy(out: Tensor, a: Tensor): void {
    validate.copy(out, a);
    this.own('copy', out).array().set(this.own('copy', a).array());
  }

  release(t: Tensor): void {
    validate.release(t);
    this.own('release', t).markReleased();
  }

  flush(): void {}

  sync(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): void {}

  // ---- linear algebra ----
  matmul(out: Tensor, a: Tensor, b: Tensor, opts: MatmulOptions = {}): void {
    const d = validate.matmul(out, a, b, opts);
    const op = 'matmul';
    matmulForward(
      this.f(op, out),
      this.f(op, a),
      this.f(op, b),
      d,
      opts.transA ?? false,
      opts.transB ?? false,
      opts.accumulate ?? false,
    );
  }

  biasAdd(out: Tensor, x: Tensor, bias: Tensor): void {
    const d = validate.biasAdd(out, x, bias);
    const op = 'biasAdd';
    biasAddForward(this.f(op, out), this.f(op, x), this.f(op, bias), d);
  }

  biasBackward(dbias: Tensor, dout: Tensor): void {
    const d = validate.biasBackward(dbias, dout);
    biasBackward(this.f('biasBackward', dbias), this.f('biasBackward', dout), d);
  }

  // ---- elementwise ----
  add(out: Tensor, a: Tensor, b: Tensor): void {
    const { n } = validate.add(out, a, b);
    addForward(this.f('add', out), this.f('add', a), this.f('add', b), n);
  }

  mul(out: Tensor, a: Tensor, b: Tensor): void {
    const { n } = validate.mul(out, a, b);
    mulForward(this.f('mul', out), this.f('mul', a), this.f('mul', b), n);
  }

  scale(out: Tensor, a: Tensor, s: number): void {
    const { n } = validate.scale(out, a, s);
    scaleForward(this.f('scale', out), this.f('scale', a), s, n);
  }

  activation(kind: Activation, out: Tensor, x: Tensor): void {
    const { n } = validate.activation(kind, out, x);
    activationForward(kind, this.f('activation', out), this.f('activation', x), n);
  }

  activationBackward(kind: Activation, dx: Tensor, x: Tensor, dout: Tensor): void {
    const { n } = validate.activationBackward(kind, dx, x, dout);
    const op = 'activationBackward';
    activationBackward(kind, this.f(op, dx), this.f(op, x), this.f(op, dout), n);
  }

  // ---- normalisation ----
  layerNorm(
    out: Tensor,
    mean: Tensor,
    rstd: Tensor,
    x: Tensor,
    w: Tensor,
    b: Tensor,
    eps?: number,
  ): void {
    const d = validate.layerNorm(out, mean, rstd, x, w, b, eps);
    const op = 'layerNorm';
    const [o, mu, rs, xs, ws, bs] = [out, mean, rstd, x, w, b].map((t) => this.f(op, t));
    layerNormForward(o, mu, rs, xs, ws, bs, d, d.eps);
  }

  layerNormBackward(
    dx: Tensor,
    dw: Tensor,
    db: Tensor,
    dout: Tensor,
    x: Tensor,
    w: Tensor,
    mean: Tensor,
    rstd: Tensor,
  ): void {
    const d = validate.layerNormBackward(dx, dw, db, dout, x, w, mean, rstd);
    const op = 'layerNormBackward';
    const arrays = [dx, dw, db, dout, x, w, mean, rstd].map((t) => this.f(op, t));
    const [dxs, dws, dbs, douts, xs, ws, mu, rs] = arrays;
    layerNormBackward(dxs, dws, dbs, douts, xs, ws, mu, rs, d);
  }

  softmax(out: Tensor, x: Tensor): void {
    const d = validate.softmax(out, x);
    softmaxForward(this.f('softmax', out), this.f('softmax', x), d);
  }

  softmaxBackward(dx: Tensor, y: Tensor, dy: Tensor): void {
    const d = validate.softmaxBackward(dx, y, dy);
    const op = 'softmaxBackward';
    softmaxBackward(this.f(op, dx), this.f(op, y), this.f(op, dy), d);
  }

  logSoftmax(out: Tensor, x: Tensor): void {
    const d = validate.logSoftmax(out, x);
    logSoftmaxForward(this.f('logSoftmax', out), this.f('logSoftmax', x), d);
  }

  logSoftmaxBackward(dx: Tensor, y: Tensor, dy: Tensor): void {
    const d = validate.logSoftmaxBackward(dx, y, dy);
    const op = 'logSoftmaxBackward';
    logSoftmaxBackward(this.f(op, dx), this.f(op, y), this.f(op, dy), d);
  }

  // ---- attention ----
  attention(
    out: Tensor,
    att: Tensor,
    qkv: Tensor,
    prefixLen: Tensor | null,
    shape: AttentionShape,
  ): void {
    const d = validate.attention(out, att, qkv, prefixLen, shape);
    const op = 'attention';
    const prefix = prefixLen ? this.i(op, prefixLen) : null;
    attentionForward(this.f(op, out), this.f(op, att), this.f(op, qkv), prefix, d);
  }

  attentionBackward(
    dqkv: Tensor,
    datt: Tensor,
    dout: Tensor,
    qkv: Tensor,
    att: Tensor,
    shape: AttentionShape,
  ): void {
    const d = validate.attentionBackward(dqkv, datt, dout, qkv, att, shape);
    const op = 'attentionBackward';
    const [dq, da, dOut, q, a] = [dqkv, datt, dout, qkv, att].map((t) => this.f(op, t));
    attentionBackward(dq, da, dOut, q, a, d);
  }

  // ---- embeddings and token losses ----
  embedding(out: Tensor, ids: Tensor, table: Tensor): void {
    const d = validate.embedding(out, ids, table);
    const op = 'embedding';
    embeddingForward(this.f(op, out), this.i(op, ids), this.f(op, table), d);
  }

  embeddingBackward(dtable: Tensor, dout: Tensor, ids: Tensor): void {
    const d = validate.embeddingBackward(dtable, dout, ids);
    const op = 'embeddingBackward';
    embeddingBackward(this.f(op, dtable), this.f(op, dout), this.i(op, ids), d);
  }

  gatherRows(out: Tensor, logp: Tensor, ids: Tensor): void {
    const d = validate.gatherRows(out, logp, ids);
    const op = 'gatherRows';
    gatherRowsForward(this.f(op, out), this.f(op, logp), this.i(op, ids), d);
  }

  gatherRowsBackward(dlogp: Tensor, dout: Tensor, ids: Tensor): void {
    const d = validate.gatherRowsBackward(dlogp, dout, ids);
    const op = 'gatherRowsBackward';
    gatherRowsBackward(this.f(op, dlogp), this.f(op, dout), this.i(op, ids), d);
  }

  crossEntropy(losses: Tensor, probs: Tensor, logits: Tensor, targets: Tensor): void {
    const d = validate.crossEntropy(losses, probs, logits, targets);
    const op = 'crossEntropy';
    const [l, p, x] = [losses, probs, logits].map((t) => this.f(op, t));
    crossEntropyForward(l, p, x, this.i(op, targets), d);
  }

  crossEntropyBackward(dlogits: Tensor, probs: Tensor, targets: Tensor, dlosses: Tensor): void {
    const d = validate.crossEntropyBackward(dlogits, probs, targets, dlosses);
    const op = 'crossEntropyBackward';
    const [dl, p, g] = [dlogits, probs, dlosses].map((t) => this.f(op, t));
    crossEntropyBackward(dl, p, this.i(op, targets), g, d);
  }

  // ---- reductions ----
  reduce(kind: ReduceKind, out: Tensor, x: Tensor): void {
    const d = validate.reduce(kind, out, x);
    reduceForward(kind, this.f('reduce', out), this.f('reduce', x), d);
  }

  l2Norm(out: Tensor, x: Tensor): void {
    const { n } = validate.l2Norm(out, x);
    l2NormForward(this.f('l2Norm', out), this.f('l2Norm', x), n);
  }

  // ---- optimisation ----
  adamw(params: Tensor, grads: Tensor, m: Tensor, v: Tensor, s: AdamWSettings): void {
    const { n } = validate.adamw(params, grads, m, v, s);
    const [p, g, ms, vs] = [params, grads, m, v].map((t) => this.f('adamw', t));
    adamwUpdate(p, g, ms, vs, s, n);
  }

  clipByNorm(grads: Tensor, norm: Tensor, maxNorm: number): void {
    const { n } = validate.clipByNorm(grads, norm, maxNorm);
    clipByNorm(this.f('clipByNorm', grads), this.f('clipByNorm', norm), maxNorm, n);
  }

  // ---- reinforcement-learning reductions ----
  groupNormalize(adv: Tensor, rewards: Tensor, G: number, eps?: number): void {
    const d = validate.groupNormalize(adv, rewards, G, eps);
    const op = 'groupNormalize';
    groupNormalize(this.f(op, adv), this.f(op, rewards), d.N, d.G, d.eps);
  }

  discountedSum(out: Tensor, rewards: Tensor, gamma: number): void {
    const { B, H } = validate.discountedSum(out, rewards, gamma);
    const op = 'discountedSum';
    discountedSum(this.f(op, out), this.f(op, rewards), gamma, B, H);
  }

  maskedMean(out: Tensor, x: Tensor, mask: Tensor): void {
    const d = validate.maskedMean(out, x, mask);
    const op = 'maskedMean';
    maskedMeanForward(this.f(op, out), this.f(op, x), this.f(op, mask), d);
  }

  maskedMeanBackward(dx: Tensor, dout: Tensor, mask: Tensor): void {
    const d = validate.maskedMeanBackward(dx, dout, mask);
    const op = 'maskedMeanBackward';
    maskedMeanBackward(this.f(op, dx), this.f(op, dout), this.f(op, mask), d);
  }

  // ---- decoding and the GRPO token loss ----
  writeRow(dst: Tensor, src: Tensor, pos: number): void {
    const d = validate.writeRow(dst, src, pos);
    const out = this.own('writeRow', dst).array();
    writeRow(out, this.own('writeRow', src).array(), d);
  }

  attentionStep(
    out: Tensor,
    qkv: Tensor,
    pos: number,
    prefixLen: Tensor | null,
    shape: AttentionShape,
  ): void {
    const d = validate.attentionStep(out, qkv, pos, prefixLen, shape);
    const op = 'attentionStep';
    const prefix = prefixLen ? this.i(op, prefixLen) : null;
    attentionStep(this.f(op, out), this.f(op, qkv), prefix, d);
  }

  sampleTokens(
    ids: Tensor,
    logp: Tensor,
    logits: Tensor,
    uniforms: Tensor,
    temperature: number,
    topP: number,
  ): void {
    const d = validate.sampleTokens(ids, logp, logits, uniforms, temperature, topP);
    const op = 'sampleTokens';
    const [lp, x, u] = [logp, logits, uniforms].map((t) => this.f(op, t));
    sampleTokens(this.i(op, ids), lp, x, u, d);
  }

  grpoTokenLoss(
    loss: Tensor,
    dlogp: Tensor,
    logp: Tensor,
    logpOld: Tensor,
    logpRef: Tensor,
    adv: Tensor,
    mask: Tensor,
    clipEps: number,
    beta: number,
    normaliser: number,
  ): void {
    const ts = [loss, dlogp, logp, logpOld, logpRef, adv, mask] as const;
    const d = validate.grpoTokenLoss(...ts, clipEps, beta, normaliser);
    const [l, g, lp, old, ref, a, m] = ts.map((t) => this.f('grpoTokenLoss', t));
    grpoTokenLoss(l, g, lp, old, ref, a, m, d);
  }

  grpoTokenStats(
    kl: Tensor,
    clipped: Tensor,
    logp: Tensor,
    logpOld: Tensor,
    logpRef: Tensor,
    adv: Tensor,
    mask: Tensor,
    clipEps: number,
  ): void {
    const ts = [kl, clipped, logp, logpOld, logpRef, adv, mask] as const;
    const d = validate.grpoTokenStats(...ts, clipEps);
    const [k, c, lp, old, ref, a, m] = ts.map((t) => this.f('grpoTokenStats', t));
    grpoTokenStats(k, c, lp, old, ref, a, m, d.N, d.clipEps);
  }
}
