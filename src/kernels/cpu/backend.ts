// The CPU reference backend: f32 storage, f64 accumulation, ops run immediately. Its kernels
// call the free functions that hold the math (the same functions the gradient tests run in
// f64); KernelBackend validates every op's arguments before they run.
import type { Backend, BackendKind, DType, GrpoTokens, Tensor } from '../backend';
import { KernelBackend, type Kernels } from '../kernel-backend';
import { validateStorage } from '../validate';
import { attentionBackward, attentionForward } from './attention';
import { attentionStep, writeRow } from './decode';
import { groupNormalize, grpoTokenLoss, grpoTokenStats } from './grpo';
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
import { discountedSum, maskedMeanBackward, maskedMeanForward } from './rl';
import { asCpu, CpuStorage, CpuTensor } from './tensor';

export class CpuBackend extends KernelBackend implements Backend {
  readonly kind: BackendKind = 'cpu';
  readonly description: string = 'CPU reference';
  protected nextId = 1;
  protected readonly kernels: Kernels = this.referenceKernels();

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
    const { size } = validateStorage.tensor(shape, dtype);
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
    const { size } = validateStorage.view(parent, offset, shape);
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
    validateStorage.write(t, data);
    this.own('write', t).array().set(data);
  }

  read(t: Tensor): Promise<Float32Array | Int32Array> {
    validateStorage.read(t);
    return Promise.resolve(this.own('read', t).array().slice());
  }

  release(t: Tensor): void {
    validateStorage.release(t);
    this.own('release', t).markReleased();
  }

  flush(): void {}

  sync(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): void {}

  /** The reference math of every op over this backend's arrays. */
  protected referenceKernels(): Kernels {
    const f = (op: string, t: Tensor) => this.f(op, t);
    const i = (op: string, t: Tensor) => this.i(op, t);
    const all = <T extends Tensor[]>(op: string, ts: [...T]) =>
      ts.map((t) => this.f(op, t)) as { [K in keyof T]: Float32Array };
    return {
      zero: (_, t) => this.own('zero', t).array().fill(0),
      copy: (_, out, a) => this.own('copy', out).array().set(this.own('copy', a).array()),

      // ---- linear algebra ----
      matmul: (d, out, a, b, opts = {}) => {
        const [o, x, y] = all('matmul', [out, a, b]);
        const { transA = false, transB = false, accumulate = false } = opts;
        matmulForward(o, x, y, d, transA, transB, accumulate);
      },
      biasAdd: (d, out, x, bias) => biasAddForward(...all('biasAdd', [out, x, bias]), d),
      biasBackward: (d, dbias, dout) =>
        biasBackward(f('biasBackward', dbias), f('biasBackward', dout), d),

      // ---- elementwise ----
      add: ({ n }, out, a, b) => addForward(...all('add', [out, a, b]), n),
      mul: ({ n }, out, a, b) => mulForward(...all('mul', [out, a, b]), n),
      scale: ({ n }, out, a, s) => scaleForward(f('scale', out), f('scale', a), s, n),
      activation: ({ n }, kind, out, x) =>
        activationForward(kind, f('activation', out), f('activation', x), n),
      activationBackward: ({ n }, kind, dx, x, dout) =>
        activationBackward(kind, ...all('activationBackward', [dx, x, dout]), n),

      // ---- normalisation ----
      layerNorm: (d, t) => {
        const [o, mu, rs, xs, ws, bs] = all('layerNorm', [t.out, t.mean, t.rstd, t.x, t.w, t.b]);
        layerNormForward(o, mu, rs, xs, ws, bs, d, d.eps);
      },
      layerNormBackward: (d, t) => {
        const ts = [t.dx, t.dw, t.db, t.dout, t.x, t.w, t.mean, t.rstd];
        const [dxs, dws, dbs, douts, xs, ws, mu, rs] = all('layerNormBackward', ts);
        layerNormBackward(dxs, dws, dbs, douts, xs, ws, mu, rs, d);
      },
      softmax: (d, out, x) => softmaxForward(f('softmax', out), f('softmax', x), d),
      softmaxBackward: (d, dx, y, dy) => softmaxBackward(...all('softmaxBackward', [dx, y, dy]), d),
      logSoftmax: (d, out, x) => logSoftmaxForward(f('logSoftmax', out), f('logSoftmax', x), d),
      logSoftmaxBackward: (d, dx, y, dy) =>
        logSoftmaxBackward(...all('logSoftmaxBackward', [dx, y, dy]), d),

      // ---- attention ----
      attention: (d, out, att, qkv, prefixLen) => {
        const prefix = prefixLen ? i('attention', prefixLen) : null;
        attentionForward(...all('attention', [out, att, qkv]), prefix, d);
      },
      attentionBackward: (d, dqkv, datt, dout, qkv, att) =>
        attentionBackward(...all('attentionBackward', [dqkv, datt, dout, qkv, att]), d),

      // ---- embeddings and token losses ----
      embedding: (d, out, ids, table) =>
        embeddingForward(f('embedding', out), i('embedding', ids), f('embedding', table), d),
      embeddingBackward: (d, dtable, dout, ids) => {
        const op = 'embeddingBackward';
        embeddingBackward(f(op, dtable), f(op, dout), i(op, ids), d);
      },
      gatherRows: (d, out, logp, ids) =>
        gatherRowsForward(f('gatherRows', out), f('gatherRows', logp), i('gatherRows', ids), d),
      gatherRowsBackward: (d, dlogp, dout, ids) => {
        const op = 'gatherRowsBackward';
        gatherRowsBackward(f(op, dlogp), f(op, dout), i(op, ids), d);
      },
      crossEntropy: (d, losses, probs, logits, targets) => {
        const [l, p, x] = all('crossEntropy', [losses, probs, logits]);
        crossEntropyForward(l, p, x, i('crossEntropy', targets), d);
      },
      crossEntropyBackward: (d, dlogits, probs, targets, dlosses) => {
        const [dl, p, g] = all('crossEntropyBackward', [dlogits, probs, dlosses]);
        crossEntropyBackward(dl, p, i('crossEntropyBackward', targets), g, d);
      },

      // ---- reductions ----
      reduce: (d, kind, out, x) => reduceForward(kind, f('reduce', out), f('reduce', x), d),
      l2Norm: ({ n }, out, x) => l2NormForward(f('l2Norm', out), f('l2Norm', x), n),

      // ---- optimisation ----
      adamw: ({ n }, params, grads, m, v, s) =>
        adamwUpdate(...all('adamw', [params, grads, m, v]), s, n),
      clipByNorm: ({ n }, grads, norm, maxNorm) =>
        clipByNorm(f('clipByNorm', grads), f('clipByNorm', norm), maxNorm, n),

      // ---- reinforcement-learning reductions ----
      groupNormalize: (d, adv, rewards) =>
        groupNormalize(...all('groupNormalize', [adv, rewards]), d.N, d.G, d.eps),
      discountedSum: ({ B, H }, out, rewards, gamma) =>
        discountedSum(...all('discountedSum', [out, rewards]), gamma, B, H),
      maskedMean: (d, out, x, mask) => maskedMeanForward(...all('maskedMean', [out, x, mask]), d),
      maskedMeanBackward: (d, dx, dout, mask) =>
        maskedMeanBackward(...all('maskedMeanBackward', [dx, dout, mask]), d),

      // ---- decoding and the GRPO token loss ----
      writeRow: (d, dst, src) =>
        writeRow(this.own('writeRow', dst).array(), this.own('writeRow', src).array(), d),
      attentionStep: (d, out, qkv, _pos, prefixLen) => {
        const prefix = prefixLen ? i('attentionStep', prefixLen) : null;
        attentionStep(f('attentionStep', out), f('attentionStep', qkv), prefix, d);
      },
      sampleTokens: (d, ids, logp, logits, uniforms) => {
        const [lp, x, u] = all('sampleTokens', [logp, logits, uniforms]);
        sampleTokens(i('sampleTokens', ids), lp, x, u, d);
      },
      grpoTokenLoss: (d, loss, dlogp, tokens) => {
        const [l, g] = all('grpoTokenLoss', [loss, dlogp]);
        grpoTokenLoss(l, g, this.tokenArrays('grpoTokenLoss', tokens), d);
      },
      grpoTokenStats: (d, kl, clipped, tokens) => {
        const [k, c] = all('grpoTokenStats', [kl, clipped]);
        grpoTokenStats(k, c, this.tokenArrays('grpoTokenStats', tokens), d.N, d.clipEps);
      },
    };
  }

  /** The f32 arrays of the GRPO loss's per-token inputs. */
  protected tokenArrays(op: string, t: GrpoTokens): GrpoTokens<Float32Array> {
    const f = (x: Tensor) => this.f(op, x);
    return {
      logp: f(t.logp),
      logpOld: f(t.logpOld),
      logpRef: f(t.logpRef),
      adv: f(t.adv),
      mask: f(t.mask),
    };
  }
}
