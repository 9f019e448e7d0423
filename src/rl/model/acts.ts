// The planner's preallocated buffers for a batch of B sequences of T positions: the inputs
// (written from a PlannerBatch), the forward activations that backward needs, and the
// backward scratch. Each group is one pool with a size table (layout.ts); every tensor is
// 2-D (rows, channels) so the weight-gradient matmuls see (B·T, C) and never a batch prefix.
// N = B·E element rows.
import type { Backend, Tensor } from '../../kernels/backend';
import type { ModelDims } from './config';
import type { PlannerBatch } from './encode';
import { Layout, take } from '../../kernels/layout';

export interface Inputs {
  /** (B·T) i32 input ids. */
  tokens: Tensor;
  /** (B·T) i32 next-token targets, −1 = no loss. */
  targets: Tensor;
  /** (B·T) i32 element-table row per position (N = the zero row). */
  slots: Tensor;
  /** (N·W) i32 element text ids. */
  textIds: Tensor;
  /** (B) i32, all P: the bidirectional prompt prefix. */
  prefixLen: Tensor;
  /** (N, 1, W) weights of the text mean. */
  textWeights: Tensor;
  /** (N, BF) box and state features. */
  box: Tensor;
  /** (N, CROP) pixel crops. */
  crop: Tensor;
  /** (B·T) d(mean SFT loss)/d(loss per token): 1/validTargets. */
  dlossMean: Tensor;
}

export interface LayerActs {
  /** (B·T, C) ln1 output; mean, rstd (B·T). */
  ln1: Tensor;
  ln1Mean: Tensor;
  ln1Rstd: Tensor;
  /** (B·T, 3C) q|k|v. */
  qkv: Tensor;
  /** (B·T, C) attention output before the projection. */
  atty: Tensor;
  /** (B, NH, T, T) attention probabilities. */
  att: Tensor;
  /** (B·T, C) residual after the attention branch. */
  res2: Tensor;
  ln2: Tensor;
  ln2Mean: Tensor;
  ln2Rstd: Tensor;
  /** (B·T, FC) fc output before and after GELU. */
  fch: Tensor;
  fchGelu: Tensor;
  /** (B·T, C) block output. */
  res3: Tensor;
}

export interface Acts {
  /** (N, W, C) element text token embeddings. */
  textEmb: Tensor;
  /** (N, 1, C) their weighted mean. */
  elemText: Tensor;
  /** (N, BH) box MLP hidden before and after GELU. */
  boxPre: Tensor;
  boxH: Tensor;
  /** (N, C) crop projection. */
  cropOut: Tensor;
  /** (N+1, C) element table; row N stays zero (positions without an element). */
  elemTable: Tensor;
  /** (N, C) = elemTable rows 0..N−1: text mean + box MLP + crop projection. */
  elemRows: Tensor;
  /** (B·T, C) wte[tokens] and elemTable[slots]. */
  tokEmb: Tensor;
  slotEmb: Tensor;
  /** (B·T, C) the input of block 0: tokEmb + slotEmb + wpe. */
  encoded: Tensor;
  /** (B, T·C) the same, one row per sequence (for adding wpe as a bias). */
  encodedRows: Tensor;
  layers: LayerActs[];
  /** (B·T, C) a branch's projection before it joins the residual (scratch). */
  proj: Tensor;
  lnf: Tensor;
  lnfMean: Tensor;
  lnfRstd: Tensor;
  /** (B·T, V) logits and their softmax. */
  logits: Tensor;
  probs: Tensor;
  /** (B·T) −log p(target), 0 where the target is −1. */
  losses: Tensor;
  /** (B·T) log p(target), 0 where the target is −1. */
  logp: Tensor;
  /** (1) Σ losses, and the mean over valid targets. */
  lossSum: Tensor;
  loss: Tensor;
  /** (1) global gradient norm before clipping. */
  gradNorm: Tensor;
}

export interface DActs {
  /** (B·T, C) gradient of the residual stream; layer norms accumulate into it. */
  dres: Tensor;
  /** (B, T·C) the same, one row per sequence. */
  dresRows: Tensor;
  /** (B·T, C) gradient of a layer-norm output (overwritten). */
  dln: Tensor;
  /** (B·T, 3C) accumulates; zeroed per layer. */
  dqkv: Tensor;
  dattY: Tensor;
  /** (B, NH, T, T) scratch. */
  datt: Tensor;
  /** (B·T, FC) */
  dfchGelu: Tensor;
  /** (B·T, FC) accumulates; zeroed per layer. */
  dfch: Tensor;
  /** (B·T, V) */
  dlogits: Tensor;
  /** (B·T) d loss / d loss-per-token for the backward pass in progress. */
  dlosses: Tensor;
  /** (N+1, C) accumulates (embedding backward); rows 0..N−1 are delemRows. */
  delemTable: Tensor;
  delemRows: Tensor;
  /** (N, 1, C): delemRows for the text-mean matmul. */
  delemRows3: Tensor;
  /** (N, W, C) */
  dtextEmb: Tensor;
  /** (N, BH) */
  dboxH: Tensor;
  /** (N, BH) accumulates. */
  dboxPre: Tensor;
}

export interface Buffers {
  inputs: Inputs;
  acts: Acts;
  dacts: DActs;
  pools: Tensor[];
}

/** Allocates every buffer for batch size B (four pools: i32 inputs, f32 inputs, acts, dacts). */
export function allocBuffers(be: Backend, d: ModelDims, B: number): Buffers {
  const { T, C, NH, FC, V, E, W, BF, BH, CROP } = d;
  const BT = B * T;
  const N = B * E;

  const ints = new Layout();
  ints.add('tokens', [BT]);
  ints.add('targets', [BT]);
  ints.add('slots', [BT]);
  ints.add('textIds', [N * W]);
  ints.add('prefixLen', [B]);
  const floats = new Layout();
  floats.add('textWeights', [N, 1, W]);
  floats.add('box', [N, BF]);
  floats.add('crop', [N, CROP]);
  floats.add('dlossMean', [BT]);

  const a = new Layout();
  a.add('textEmb', [N, W, C]);
  a.add('elemText', [N, 1, C]);
  a.add('boxPre', [N, BH]);
  a.add('boxH', [N, BH]);
  a.add('cropOut', [N, C]);
  a.add('elemTable', [N + 1, C]);
  a.add('tokEmb', [BT, C]);
  a.add('slotEmb', [BT, C]);
  a.add('encoded', [BT, C]);
  for (let l = 0; l < d.L; l++) {
    const p = `layers.${l}.`;
    a.add(p + 'ln1', [BT, C]);
    a.add(p + 'ln1Mean', [BT]);
    a.add(p + 'ln1Rstd', [BT]);
    a.add(p + 'qkv', [BT, 3 * C]);
    a.add(p + 'atty', [BT, C]);
    a.add(p + 'att', [B, NH, T, T]);
    a.add(p + 'res2', [BT, C]);
    a.add(p + 'ln2', [BT, C]);
    a.add(p + 'ln2Mean', [BT]);
    a.add(p + 'ln2Rstd', [BT]);
    a.add(p + 'fch', [BT, FC]);
    a.add(p + 'fchGelu', [BT, FC]);
    a.add(p + 'res3', [BT, C]);
  }
  a.add('proj', [BT, C]);
  a.add('lnf', [BT, C]);
  a.add('lnfMean', [BT]);
  a.add('lnfRstd', [BT]);
  a.add('logits', [BT, V]);
  a.add('probs', [BT, V]);
  a.add('losses', [BT]);
  a.add('logp', [BT]);
  a.add('lossSum', [1]);
  a.add('loss', [1]);
  a.add('gradNorm', [1]);

  const g = new Layout();
  g.add('dres', [BT, C]);
  g.add('dln', [BT, C]);
  g.add('dqkv', [BT, 3 * C]);
  g.add('dattY', [BT, C]);
  g.add('datt', [B, NH, T, T]);
  g.add('dfchGelu', [BT, FC]);
  g.add('dfch', [BT, FC]);
  g.add('dlogits', [BT, V]);
  g.add('dlosses', [BT]);
  g.add('delemTable', [N + 1, C]);
  g.add('dtextEmb', [N, W, C]);
  g.add('dboxH', [N, BH]);
  g.add('dboxPre', [N, BH]);

  const intPool = be.tensor([ints.size], 'i32', 'planner.inputs.i32');
  const floatPool = be.tensor([floats.size], 'f32', 'planner.inputs.f32');
  const actPool = be.tensor([a.size], 'f32', 'planner.acts');
  const dactPool = be.tensor([g.size], 'f32', 'planner.dacts');
  const iv = ints.views(be, intPool, 0, 'inputs');
  const fv = floats.views(be, floatPool, 0, 'inputs');
  const av = a.views(be, actPool, 0, 'acts');
  const gv = g.views(be, dactPool, 0, 'dacts');

  const inputs: Inputs = {
    tokens: take(iv, 'tokens'),
    targets: take(iv, 'targets'),
    slots: take(iv, 'slots'),
    textIds: take(iv, 'textIds'),
    prefixLen: take(iv, 'prefixLen'),
    textWeights: take(fv, 'textWeights'),
    box: take(fv, 'box'),
    crop: take(fv, 'crop'),
    dlossMean: take(fv, 'dlossMean'),
  };
  be.write(inputs.prefixLen, new Int32Array(B).fill(d.P));

  const elemTable = take(av, 'elemTable');
  const layers: LayerActs[] = [];
  for (let l = 0; l < d.L; l++) {
    const at = (k: string) => take(av, `layers.${l}.${k}`);
    layers.push({
      ln1: at('ln1'),
      ln1Mean: at('ln1Mean'),
      ln1Rstd: at('ln1Rstd'),
      qkv: at('qkv'),
      atty: at('atty'),
      att: at('att'),
      res2: at('res2'),
      ln2: at('ln2'),
      ln2Mean: at('ln2Mean'),
      ln2Rstd: at('ln2Rstd'),
      fch: at('fch'),
      fchGelu: at('fchGelu'),
      res3: at('res3'),
    });
  }
  const acts: Acts = {
    textEmb: take(av, 'textEmb'),
    elemText: take(av, 'elemText'),
    boxPre: take(av, 'boxPre'),
    boxH: take(av, 'boxH'),
    cropOut: take(av, 'cropOut'),
    elemTable,
    elemRows: be.view(elemTable, 0, [N, C], 'acts.elemRows'),
    tokEmb: take(av, 'tokEmb'),
    slotEmb: take(av, 'slotEmb'),
    encoded: take(av, 'encoded'),
    encodedRows: be.view(take(av, 'encoded'), 0, [B, T * C], 'acts.encodedRows'),
    layers,
    proj: take(av, 'proj'),
    lnf: take(av, 'lnf'),
    lnfMean: take(av, 'lnfMean'),
    lnfRstd: take(av, 'lnfRstd'),
    logits: take(av, 'logits'),
    probs: take(av, 'probs'),
    losses: take(av, 'losses'),
    logp: take(av, 'logp'),
    lossSum: take(av, 'lossSum'),
    loss: take(av, 'loss'),
    gradNorm: take(av, 'gradNorm'),
  };
  const delemTable = take(gv, 'delemTable');
  const dacts: DActs = {
    dres: take(gv, 'dres'),
    dresRows: be.view(take(gv, 'dres'), 0, [B, T * C], 'dacts.dresRows'),
    dln: take(gv, 'dln'),
    dqkv: take(gv, 'dqkv'),
    dattY: take(gv, 'dattY'),
    datt: take(gv, 'datt'),
    dfchGelu: take(gv, 'dfchGelu'),
    dfch: take(gv, 'dfch'),
    dlogits: take(gv, 'dlogits'),
    dlosses: take(gv, 'dlosses'),
    delemTable,
    delemRows: be.view(delemTable, 0, [N, C], 'dacts.delemRows'),
    delemRows3: be.view(delemTable, 0, [N, 1, C], 'dacts.delemRows3'),
    dtextEmb: take(gv, 'dtextEmb'),
    dboxH: take(gv, 'dboxH'),
    dboxPre: take(gv, 'dboxPre'),
  };
  return { inputs, acts, dacts, pools: [intPool, floatPool, actPool, dactPool] };
}

/** Uploads a packed batch's host arrays into the input tensors (B must match). */
export function writeInputs(be: Backend, x: Inputs, batch: PlannerBatch): void {
  be.write(x.tokens, batch.tokens);
  be.write(x.targets, batch.targets);
  be.write(x.slots, batch.slots);
  be.write(x.textIds, batch.textIds);
  be.write(x.textWeights, batch.textWeights);
  be.write(x.box, batch.box);
  be.write(x.crop, batch.crop);
}
