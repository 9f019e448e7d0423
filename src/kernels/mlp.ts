// A small multilayer-perceptron classifier written once against the Backend interface, in
// the shape of llm.c's train_gpt2.c: explicit forward and backward over preallocated
// tensors, and a training step of four calls (forward, zeroGrad, backward, update) plus
// global-norm clipping. Used by the MLP parity test (WebGPU vs CPU) and the kernel benchmark.
//
// Memory: ONE pool holds parameters, gradients and both AdamW moments, each region laid out
// the same way (w0 b0 w1 b1 …, every tensor at a 256-byte aligned offset), so zeroing the
// gradients, their global norm, clipping and the optimiser are each one op over a flat view
// of a whole region. Activations and their gradients live in two more pools. Nothing is
// allocated after construction.
//
// Layer l maps (B, sizes[l]) → (B, sizes[l+1]); hidden layers are followed by ReLU, the last
// one gives logits for a fused softmax cross-entropy whose mean over the batch is the loss.

import { alignedSize, type AdamWSettings, type Backend, type Tensor } from './backend';
import type { Rng } from '../rng';

export interface MlpConfig {
  /** Layer widths, input first and classes last, e.g. [32, 64, 64, 10]. */
  sizes: readonly number[];
  /** Batch size B. */
  B: number;
}

/** One linear layer's tensors in a parameter-shaped region (params, grads, m or v). */
export interface LinearTensors {
  /** (in, out): x·w maps a row of `in` features to `out`. */
  w: Tensor;
  /** (out) */
  b: Tensor;
}

/** Whole regions of the parameter pool as flat views, for the ops that see every parameter. */
export interface FlatRegions {
  params: Tensor;
  grads: Tensor;
  m: Tensor;
  v: Tensor;
}

export interface LayerActs {
  /** (B, out) = input · w */
  xw: Tensor;
  /** (B, out) = xw + b; logits for the last layer. */
  pre: Tensor;
  /** (B, out) = relu(pre); null for the last layer. */
  post: Tensor | null;
}

export interface LayerGrads {
  /** (B, out): dloss/dpre. Hidden layers accumulate into it (zeroed by zeroGrad). */
  dpre: Tensor;
  /** (B, out): dloss/dpost; null for the last layer. */
  dpost: Tensor | null;
}

/** Tensors laid out in one pool, in order, each at a 256-byte aligned offset. */
class PoolLayout {
  private readonly entries: { name: string; shape: number[]; offset: number }[] = [];
  size = 0;

  add(name: string, shape: number[]): void {
    this.entries.push({ name, shape, offset: this.size });
    this.size += alignedSize(shape.reduce((a, b) => a * b, 1));
  }

  /** The views, in the order added, of a copy of this layout starting `base` into `pool`. */
  views(be: Backend, pool: Tensor, base: number, prefix: string): Tensor[] {
    return this.entries.map((e) => be.view(pool, base + e.offset, e.shape, `${prefix}.${e.name}`));
  }
}

export class Mlp {
  readonly config: MlpConfig;
  /** Per layer: parameters, their gradients, and the AdamW moments. */
  readonly params: LinearTensors[];
  readonly grads: LinearTensors[];
  readonly m: LinearTensors[];
  readonly v: LinearTensors[];
  readonly flat: FlatRegions;
  /** Parameter count (without alignment padding). */
  readonly numParams: number;
  readonly acts: LayerActs[];
  readonly dacts: LayerGrads[];
  /** (B, classes) softmax of the logits, saved for backward. */
  readonly probs: Tensor;
  /** (B) per-sample cross-entropy. */
  readonly losses: Tensor;
  /** (1) mean loss over the batch: what forward() computes. */
  readonly loss: Tensor;
  /** (1) global L2 norm of the gradients before clipping, written by clip(). */
  readonly gradNorm: Tensor;

  private readonly be: Backend;
  private readonly pools: Tensor[];
  /** (B) the constant 1/B: d(mean loss)/d(loss_n). */
  private readonly dlosses: Tensor;
  /** The whole activation-gradient pool, zeroed by zeroGrad. */
  private readonly dactsPool: Tensor;
  private input: Tensor | null = null;
  private targets: Tensor | null = null;

  constructor(be: Backend, config: MlpConfig) {
    const { sizes, B } = config;
    if (sizes.length < 2) throw new Error(`Mlp: need at least two sizes, got [${sizes}]`);
    this.be = be;
    this.config = config;
    const L = sizes.length - 1;

    // Parameters: one region layout, repeated four times in one pool.
    const paramLayout = new PoolLayout();
    let numParams = 0;
    for (let l = 0; l < L; l++) {
      paramLayout.add(`w${l}`, [sizes[l], sizes[l + 1]]);
      paramLayout.add(`b${l}`, [sizes[l + 1]]);
      numParams += (sizes[l] + 1) * sizes[l + 1];
    }
    this.numParams = numParams;
    const P = paramLayout.size;
    const paramPool = be.tensor([4 * P], 'f32', 'mlp.params+grads+m+v');
    const region = (k: number, name: string): LinearTensors[] => {
      const vs = paramLayout.views(be, paramPool, k * P, name);
      return Array.from({ length: L }, (_, l) => ({ w: vs[2 * l], b: vs[2 * l + 1] }));
    };
    this.params = region(0, 'params');
    this.grads = region(1, 'grads');
    this.m = region(2, 'm');
    this.v = region(3, 'v');
    const flat = (k: number, name: string): Tensor => be.view(paramPool, k * P, [P], `${name}.all`);
    this.flat = {
      params: flat(0, 'params'),
      grads: flat(1, 'grads'),
      m: flat(2, 'm'),
      v: flat(3, 'v'),
    };

    // Activations (and the loss tensors), then their gradients.
    const actLayout = new PoolLayout();
    const dactLayout = new PoolLayout();
    for (let l = 0; l < L; l++) {
      const shape = [B, sizes[l + 1]];
      actLayout.add(`xw${l}`, shape);
      actLayout.add(`pre${l}`, shape);
      if (l < L - 1) actLayout.add(`post${l}`, shape);
      dactLayout.add(`dpre${l}`, shape);
      if (l < L - 1) dactLayout.add(`dpost${l}`, shape);
    }
    actLayout.add('probs', [B, sizes[L]]);
    actLayout.add('losses', [B]);
    actLayout.add('loss', [1]);
    actLayout.add('dlosses', [B]);
    actLayout.add('gradNorm', [1]);
    const actPool = be.tensor([actLayout.size], 'f32', 'mlp.acts');
    this.dactsPool = be.tensor([dactLayout.size], 'f32', 'mlp.dacts');
    const a = actLayout.views(be, actPool, 0, 'acts');
    const d = dactLayout.views(be, this.dactsPool, 0, 'dacts');
    this.acts = [];
    this.dacts = [];
    for (let l = 0; l < L; l++) {
      const hidden = l < L - 1;
      this.acts.push({ xw: a.shift()!, pre: a.shift()!, post: hidden ? a.shift()! : null });
      this.dacts.push({ dpre: d.shift()!, dpost: hidden ? d.shift()! : null });
    }
    [this.probs, this.losses, this.loss, this.dlosses, this.gradNorm] = a;
    be.write(this.dlosses, new Float32Array(B).fill(1 / B));
    this.pools = [paramPool, actPool, this.dactsPool];
  }

  /** He-normal weights (std √(2/in)), zero biases, zero moments; drawn in layer order. */
  init(rng: Rng): void {
    const { sizes } = this.config;
    for (let l = 0; l < this.params.length; l++) {
      const std = Math.sqrt(2 / sizes[l]);
      const w = new Float32Array(this.params[l].w.size);
      for (let i = 0; i < w.length; i++) w[i] = rng.normal(0, std);
      this.be.write(this.params[l].w, w);
      this.be.zero(this.params[l].b);
    }
    this.be.zero(this.flat.m);
    this.be.zero(this.flat.v);
  }

  /** loss(1) = mean_n crossEntropy(mlp(x)(n), targets(n)); x (B, sizes[0]), targets (B) i32. */
  forward(x: Tensor, targets: Tensor): void {
    const be = this.be;
    this.input = x;
    this.targets = targets;
    let input = x;
    for (let l = 0; l < this.acts.length; l++) {
      const { xw, pre, post } = this.acts[l];
      be.matmul(xw, input, this.params[l].w);
      be.biasAdd(pre, xw, this.params[l].b);
      if (post) {
        be.activation('relu', post, pre);
        input = post;
      }
    }
    const logits = this.acts[this.acts.length - 1].pre;
    be.crossEntropy(this.losses, this.probs, logits, targets);
    be.reduce('mean', this.loss, this.losses);
  }

  /** Zero the parameter gradients and the activation gradients that accumulate. */
  zeroGrad(): void {
    this.be.zero(this.flat.grads);
    this.be.zero(this.dactsPool);
  }

  /** Gradients of the mean loss of the last forward(), layer by layer in reverse. */
  backward(): void {
    const be = this.be;
    if (!this.input || !this.targets) throw new Error('Mlp.backward: call forward first');
    const L = this.acts.length;
    be.crossEntropyBackward(this.dacts[L - 1].dpre, this.probs, this.targets, this.dlosses);
    for (let l = L - 1; l >= 0; l--) {
      const dpre = this.dacts[l].dpre;
      const input = l === 0 ? this.input : this.acts[l - 1].post!;
      // dw(in,out) += inputᵀ · dpre;  db(out) += Σ_rows dpre
      be.matmul(this.grads[l].w, input, dpre, { transA: true, accumulate: true });
      be.biasBackward(this.grads[l].b, dpre);
      if (l > 0) {
        // dpost(B,in) = dpre · wᵀ;  dpre_{l−1} += relu'(pre_{l−1}) ⊙ dpost
        const below = this.dacts[l - 1];
        be.matmul(below.dpost!, dpre, this.params[l].w, { transB: true });
        be.activationBackward('relu', below.dpre, this.acts[l - 1].pre, below.dpost!);
      }
    }
  }

  /** gradNorm = ‖grads‖₂ over every parameter; grads *= min(1, maxNorm / gradNorm). */
  clip(maxNorm: number): void {
    this.be.l2Norm(this.gradNorm, this.flat.grads);
    this.be.clipByNorm(this.flat.grads, this.gradNorm, maxNorm);
  }

  /** One AdamW update of every parameter (decay applies to biases too: one flat op). */
  update(s: AdamWSettings): void {
    this.be.adamw(this.flat.params, this.flat.grads, this.flat.m, this.flat.v, s);
  }

  /** forward → zeroGrad → backward → clip → update, recorded without waiting on the device. */
  trainStep(x: Tensor, targets: Tensor, s: AdamWSettings, maxNorm: number): void {
    this.forward(x, targets);
    this.zeroGrad();
    this.backward();
    this.clip(maxNorm);
    this.update(s);
  }

  release(): void {
    for (const p of this.pools) this.be.release(p);
  }
}
