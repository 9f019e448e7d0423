// The grounder model over the Backend ops: explicit forward and backward on preallocated
// buffers, llm.c style. B examples (a screen and a description each), E rows per example:
// the screen's elements, padding, and LAST the "not found" row (features.ts nullRow), so
// R = B·E rows. Weights are stored (in, out): y = x·w.
//
//   h(R,C)   = mean_w wte[text] + (mean_w wte[row])·roww + wte[role]
//              + box2(gelu(box1(feats))) + crop2(gelu(crop1(crop)))
//   q(B,C)   = mean_d wte[desc];  qp = q·qw + qb;  qRows(R,C) = qp[screenOf]
//   z(R,SH)  = gelu((h ⊙ qRows)·zw + h·hw + match·mw + zb);  logits(B,E) = z·sw + mask
//   loss(B)  = cross-entropy(logits, target row)      (the null row when not on screen)
import type { Backend, Tensor } from '../kernels/backend';
import { Layout, take } from '../kernels/layout';
import type { Rng } from '../rng';
import type { GrounderDims } from './config';

/** Every parameter tensor, its shape and pool order. */
export function grounderLayout(d: GrounderDims): Layout {
  const { C, V, BF, BH, CROP, CH, SH } = d;
  const lay = new Layout();
  lay.add('wte', [V, C]);
  lay.add('roww', [C, C]);
  lay.add('box1w', [BF, BH]);
  lay.add('box1b', [BH]);
  lay.add('box2w', [BH, C]);
  lay.add('box2b', [C]);
  lay.add('crop1w', [CROP, CH]);
  lay.add('crop1b', [CH]);
  lay.add('crop2w', [CH, C]);
  lay.add('crop2b', [C]);
  lay.add('qw', [C, C]);
  lay.add('qb', [C]);
  lay.add('zw', [C, SH]);
  lay.add('hw', [C, SH]);
  lay.add('mw', [d.MF, SH]);
  lay.add('zb', [SH]);
  lay.add('sw', [SH, 1]);
  return lay;
}

export const PARAM_NAMES = [
  'wte',
  'roww',
  'box1w',
  'box1b',
  'box2w',
  'box2b',
  'crop1w',
  'crop1b',
  'crop2w',
  'crop2b',
  'qw',
  'qb',
  'zw',
  'hw',
  'mw',
  'zb',
  'sw',
] as const;
export type ParamName = (typeof PARAM_NAMES)[number];
export type GrounderParams = Record<ParamName, Tensor>;

/** Seeded init in layout order: wte N(0, 0.1), matrices N(0, 1/√fan_in), biases 0. */
export function initGrounderParams(layout: Layout, rng: Rng): Float32Array {
  const out = new Float32Array(layout.size);
  for (const e of layout.entries) {
    const view = out.subarray(e.offset, e.offset + e.size);
    if (e.shape.length === 1) continue;
    const std = e.name === 'wte' ? 0.1 : 1 / Math.sqrt(e.shape[0]);
    for (let i = 0; i < view.length; i++) view[i] = rng.normal(0, std);
  }
  return out;
}

function views(be: Backend, layout: Layout, pool: Tensor, base: number, prefix: string) {
  const v = layout.views(be, pool, base, prefix);
  return Object.fromEntries(PARAM_NAMES.map((k) => [k, take(v, k)])) as GrounderParams;
}

export interface GrounderInputs {
  /** (R·W), (R,1,W) */
  textIds: Tensor;
  textWeights: Tensor;
  /** (R·RW), (R,1,RW) */
  rowIds: Tensor;
  rowWeights: Tensor;
  /** (R) */
  roleIds: Tensor;
  /** (R,BF), (R,CROP) */
  feats: Tensor;
  crop: Tensor;
  /** (R,MF) description-dependent match features; 0 on the null row and padding. */
  match: Tensor;
  /** (B·D), (B,1,D) */
  descIds: Tensor;
  descWeights: Tensor;
  /** (R) the example each row belongs to. */
  screenOf: Tensor;
  /** (B,E) 0 on real rows, −1e9 on padding. */
  mask: Tensor;
  /** (B) the target row. */
  targets: Tensor;
}

interface Acts {
  textEmb: Tensor; // (R,W,C)
  textMean: Tensor; // (R,1,C)
  rowEmb: Tensor; // (R,RW,C)
  rowMean: Tensor; // (R,1,C)
  rowProj: Tensor; // (R,C)
  roleEmb: Tensor; // (R,C)
  boxPre: Tensor; // (R,BH)
  boxH: Tensor;
  boxOut: Tensor; // (R,C)
  cropPre: Tensor; // (R,CH)
  cropH: Tensor;
  cropOut: Tensor; // (R,C)
  h: Tensor; // (R,C)
  descEmb: Tensor; // (B,D,C)
  q: Tensor; // (B,1,C)
  qp: Tensor; // (B,C)
  qRows: Tensor; // (R,C)
  u: Tensor; // (R,C)
  zPre: Tensor; // (R,SH)
  z: Tensor;
  logits: Tensor; // (B,E)
  masked: Tensor; // (B,E)
  probs: Tensor; // (B,E)
  losses: Tensor; // (B)
}

interface DActs {
  dlogits: Tensor; // (B,E)
  dz: Tensor; // (R,SH)
  dzPre: Tensor;
  du: Tensor; // (R,C)
  dh: Tensor; // (R,C)
  dhu: Tensor; // (R,C) the part of dh through u
  dqRows: Tensor; // (R,C)
  dqp: Tensor; // (B,C)
  dq: Tensor; // (B,1,C)
  ddescEmb: Tensor; // (B,D,C)
  dtextEmb: Tensor; // (R,W,C)
  drowMean: Tensor; // (R,1,C)
  drowEmb: Tensor; // (R,RW,C)
  dboxH: Tensor; // (R,BH)
  dboxPre: Tensor;
  dcropH: Tensor; // (R,CH)
  dcropPre: Tensor;
  dlosses: Tensor; // (B)
}

/** The grounder's tensors for B examples of E rows: one pool of params, grads and moments. */
export class GrounderModel {
  readonly layout: Layout;
  readonly pool: Tensor;
  readonly params: GrounderParams;
  readonly grads: GrounderParams;
  /** Flat regions of the pool, for the optimiser. */
  readonly flat: { params: Tensor; grads: Tensor; m: Tensor; v: Tensor };
  readonly inputs: GrounderInputs;
  readonly acts: Acts;
  readonly dacts: DActs;
  readonly gradNorm: Tensor;
  /** Other shapes of the same buffers, made once (no allocation inside a step). */
  private readonly v: Record<string, Tensor>;

  /** `shared`: another model of the same dims whose parameters (and optimiser) to use. */
  constructor(
    readonly be: Backend,
    readonly d: GrounderDims,
    readonly B: number,
    readonly E: number,
    shared?: GrounderModel,
  ) {
    this.layout = grounderLayout(d);
    const P = this.layout.size;
    this.pool = shared ? shared.pool : be.tensor([4 * P], 'f32', 'grounder.pool');
    const region = (i: number, name: string) => be.view(this.pool, i * P, [P], name);
    this.flat = {
      params: region(0, 'grounder.params'),
      grads: region(1, 'grounder.grads'),
      m: region(2, 'grounder.m'),
      v: region(3, 'grounder.v'),
    };
    this.params = views(be, this.layout, this.pool, 0, 'params');
    this.grads = views(be, this.layout, this.pool, P, 'grads');
    const { C, W, RW, D, BF, BH, CROP, CH, SH } = d;
    const R = B * E;
    const f = (shape: number[], name: string) => be.tensor(shape, 'f32', name);
    const i = (shape: number[], name: string) => be.tensor(shape, 'i32', name);
    this.inputs = {
      textIds: i([R * W], 'textIds'),
      textWeights: f([R, 1, W], 'textWeights'),
      rowIds: i([R * RW], 'rowIds'),
      rowWeights: f([R, 1, RW], 'rowWeights'),
      roleIds: i([R], 'roleIds'),
      feats: f([R, BF], 'feats'),
      crop: f([R, CROP], 'crop'),
      match: f([R, d.MF], 'match'),
      descIds: i([B * D], 'descIds'),
      descWeights: f([B, 1, D], 'descWeights'),
      screenOf: i([R], 'screenOf'),
      mask: f([B, E], 'mask'),
      targets: i([B], 'targets'),
    };
    this.acts = {
      textEmb: f([R, W, C], 'textEmb'),
      textMean: f([R, 1, C], 'textMean'),
      rowEmb: f([R, RW, C], 'rowEmb'),
      rowMean: f([R, 1, C], 'rowMean'),
      rowProj: f([R, C], 'rowProj'),
      roleEmb: f([R, C], 'roleEmb'),
      boxPre: f([R, BH], 'boxPre'),
      boxH: f([R, BH], 'boxH'),
      boxOut: f([R, C], 'boxOut'),
      cropPre: f([R, CH], 'cropPre'),
      cropH: f([R, CH], 'cropH'),
      cropOut: f([R, C], 'cropOut'),
      h: f([R, C], 'h'),
      descEmb: f([B, D, C], 'descEmb'),
      q: f([B, 1, C], 'q'),
      qp: f([B, C], 'qp'),
      qRows: f([R, C], 'qRows'),
      u: f([R, C], 'u'),
      zPre: f([R, SH], 'zPre'),
      z: f([R, SH], 'z'),
      logits: f([B, E], 'logits'),
      masked: f([B, E], 'masked'),
      probs: f([B, E], 'probs'),
      losses: f([B], 'losses'),
    };
    this.dacts = {
      dlogits: f([B, E], 'dlogits'),
      dz: f([R, SH], 'dz'),
      dzPre: f([R, SH], 'dzPre'),
      du: f([R, C], 'du'),
      dh: f([R, C], 'dh'),
      dhu: f([R, C], 'dhu'),
      dqRows: f([R, C], 'dqRows'),
      dqp: f([B, C], 'dqp'),
      dq: f([B, 1, C], 'dq'),
      ddescEmb: f([B, D, C], 'ddescEmb'),
      dtextEmb: f([R, W, C], 'dtextEmb'),
      drowMean: f([R, 1, C], 'drowMean'),
      drowEmb: f([R, RW, C], 'drowEmb'),
      dboxH: f([R, BH], 'dboxH'),
      dboxPre: f([R, BH], 'dboxPre'),
      dcropH: f([R, CH], 'dcropH'),
      dcropPre: f([R, CH], 'dcropPre'),
      dlosses: f([B], 'dlosses'),
    };
    this.gradNorm = f([1], 'gradNorm');
    const a = this.acts;
    const g = this.dacts;
    const as = (t: Tensor, shape: number[]) => be.view(t, 0, shape, `${t.name}${shapeTag(shape)}`);
    this.v = {
      textEmb: as(a.textEmb, [R * W, C]),
      textMean: as(a.textMean, [R, C]),
      rowEmb: as(a.rowEmb, [R * RW, C]),
      rowMean: as(a.rowMean, [R, C]),
      descEmb: as(a.descEmb, [B * D, C]),
      q: as(a.q, [B, C]),
      logits: as(a.logits, [R, 1]),
      dlogits: as(g.dlogits, [R, 1]),
      dq: as(g.dq, [B, C]),
      ddescEmb: as(g.ddescEmb, [B * D, C]),
      drowMean: as(g.drowMean, [R, C]),
      drowEmb: as(g.drowEmb, [R * RW, C]),
      dtextEmb: as(g.dtextEmb, [R * W, C]),
      dh: as(g.dh, [R, 1, C]),
    };
    const screenOf = new Int32Array(R);
    for (let r = 0; r < R; r++) screenOf[r] = Math.floor(r / E);
    be.write(this.inputs.screenOf, screenOf);
    be.write(this.dacts.dlosses, new Float32Array(B).fill(1 / B));
  }

  /** Scores every row of every example; fills probs and losses. */
  forward(): void {
    const { be, params: p, inputs: x, acts: a, v } = this;
    // Element rows.
    be.embedding(v.textEmb, x.textIds, p.wte);
    be.matmul(a.textMean, x.textWeights, a.textEmb);
    be.embedding(v.rowEmb, x.rowIds, p.wte);
    be.matmul(a.rowMean, x.rowWeights, a.rowEmb);
    be.matmul(a.rowProj, v.rowMean, p.roww);
    be.embedding(a.roleEmb, x.roleIds, p.wte);
    be.matmul(a.boxPre, x.feats, p.box1w);
    be.biasAdd(a.boxPre, a.boxPre, p.box1b);
    be.activation('gelu', a.boxH, a.boxPre);
    be.matmul(a.boxOut, a.boxH, p.box2w);
    be.biasAdd(a.boxOut, a.boxOut, p.box2b);
    be.matmul(a.cropPre, x.crop, p.crop1w);
    be.biasAdd(a.cropPre, a.cropPre, p.crop1b);
    be.activation('gelu', a.cropH, a.cropPre);
    be.matmul(a.cropOut, a.cropH, p.crop2w);
    be.biasAdd(a.cropOut, a.cropOut, p.crop2b);
    be.add(a.h, v.textMean, a.rowProj);
    be.add(a.h, a.h, a.roleEmb);
    be.add(a.h, a.h, a.boxOut);
    be.add(a.h, a.h, a.cropOut);
    // The description, copied to every row of its example.
    be.embedding(v.descEmb, x.descIds, p.wte);
    be.matmul(a.q, x.descWeights, a.descEmb);
    be.matmul(a.qp, v.q, p.qw);
    be.biasAdd(a.qp, a.qp, p.qb);
    be.embedding(a.qRows, x.screenOf, a.qp);
    // Scores.
    be.mul(a.u, a.h, a.qRows);
    be.matmul(a.zPre, a.u, p.zw);
    be.matmul(a.zPre, a.h, p.hw, { accumulate: true });
    be.matmul(a.zPre, x.match, p.mw, { accumulate: true });
    be.biasAdd(a.zPre, a.zPre, p.zb);
    be.activation('gelu', a.z, a.zPre);
    be.matmul(v.logits, a.z, p.sw);
    be.add(a.masked, a.logits, x.mask);
    be.crossEntropy(a.losses, a.probs, a.masked, x.targets);
  }

  /** Gradients of the mean loss into grads (accumulating: zero them first). */
  backward(): void {
    const { be, params: p, grads: g, inputs: x, acts: a, dacts: d, v } = this;
    be.crossEntropyBackward(d.dlogits, a.probs, x.targets, d.dlosses);
    const dcol = v.dlogits;
    be.matmul(g.sw, a.z, dcol, { transA: true, accumulate: true });
    be.matmul(d.dz, dcol, p.sw, { transB: true });
    be.zero(d.dzPre);
    be.activationBackward('gelu', d.dzPre, a.zPre, d.dz);
    be.biasBackward(g.zb, d.dzPre);
    be.matmul(g.zw, a.u, d.dzPre, { transA: true, accumulate: true });
    be.matmul(g.hw, a.h, d.dzPre, { transA: true, accumulate: true });
    be.matmul(g.mw, x.match, d.dzPre, { transA: true, accumulate: true });
    be.matmul(d.du, d.dzPre, p.zw, { transB: true });
    be.matmul(d.dh, d.dzPre, p.hw, { transB: true });
    // u = h ⊙ qRows.
    be.mul(d.dqRows, d.du, a.h);
    be.mul(d.dhu, d.du, a.qRows);
    be.add(d.dh, d.dh, d.dhu);
    // The description.
    be.zero(d.dqp);
    be.embeddingBackward(d.dqp, d.dqRows, x.screenOf);
    be.biasBackward(g.qb, d.dqp);
    be.matmul(g.qw, v.q, d.dqp, { transA: true, accumulate: true });
    be.matmul(v.dq, d.dqp, p.qw, { transB: true });
    be.matmul(d.ddescEmb, x.descWeights, d.dq, { transA: true });
    be.embeddingBackward(g.wte, v.ddescEmb, x.descIds);
    // Element rows: every branch was added into h, so each receives dh unchanged.
    be.matmul(g.crop2w, a.cropH, d.dh, { transA: true, accumulate: true });
    be.biasBackward(g.crop2b, d.dh);
    be.matmul(d.dcropH, d.dh, p.crop2w, { transB: true });
    be.zero(d.dcropPre);
    be.activationBackward('gelu', d.dcropPre, a.cropPre, d.dcropH);
    be.matmul(g.crop1w, x.crop, d.dcropPre, { transA: true, accumulate: true });
    be.biasBackward(g.crop1b, d.dcropPre);
    be.matmul(g.box2w, a.boxH, d.dh, { transA: true, accumulate: true });
    be.biasBackward(g.box2b, d.dh);
    be.matmul(d.dboxH, d.dh, p.box2w, { transB: true });
    be.zero(d.dboxPre);
    be.activationBackward('gelu', d.dboxPre, a.boxPre, d.dboxH);
    be.matmul(g.box1w, x.feats, d.dboxPre, { transA: true, accumulate: true });
    be.biasBackward(g.box1b, d.dboxPre);
    be.embeddingBackward(g.wte, d.dh, x.roleIds);
    be.matmul(g.roww, v.rowMean, d.dh, { transA: true, accumulate: true });
    be.matmul(v.drowMean, d.dh, p.roww, { transB: true });
    be.matmul(d.drowEmb, x.rowWeights, d.drowMean, { transA: true });
    be.embeddingBackward(g.wte, v.drowEmb, x.rowIds);
    be.matmul(d.dtextEmb, x.textWeights, v.dh, { transA: true });
    be.embeddingBackward(g.wte, v.dtextEmb, x.textIds);
  }

  zeroGrad(): void {
    this.be.zero(this.flat.grads);
  }

  /** Global-norm clip, then AdamW over the whole parameter region. */
  update(lr: number, step: number, maxNorm = 1, weightDecay = 0): void {
    const { be, flat } = this;
    be.l2Norm(this.gradNorm, flat.grads);
    be.clipByNorm(flat.grads, this.gradNorm, maxNorm);
    be.adamw(flat.params, flat.grads, flat.m, flat.v, {
      lr,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay,
      step,
    });
  }
}

function shapeTag(shape: number[]): string {
  return `(${shape.join(',')})`;
}
