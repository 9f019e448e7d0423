// The planner's forward pass over preallocated buffers, as free functions in the llm.c
// manner. Shapes use B·T rows; N = B·E element rows. Ops only: no WGSL, no readback.
import type { Backend, Tensor } from '../../kernels/backend';
import type { Acts, DActs, Inputs, LayerActs } from './acts';
import type { ModelDims } from './config';
import type { LayerParams, ParamTensors } from './params';

/** What forward and backward read and write: the model's tensors for one batch size. */
export interface PlannerCore {
  be: Backend;
  dims: ModelDims;
  B: number;
  params: ParamTensors;
  grads: ParamTensors;
  inputs: Inputs;
  acts: Acts;
  dacts: DActs;
}

/**
 * Element rows (N, C) = mean_i wte[text_i] + box2(gelu(box1(features))) + cropw·crop,
 * then the input sequence (B·T, C) = wte[tokens] + elemTable[slots] + wpe[t].
 * Element positions hold their role token, so wte[tokens] is the role embedding there.
 */
export function encoderForward(m: PlannerCore): void {
  const { be, params: p, inputs: x, acts: a } = m;
  // Text mean as a batched product: (N,1,C) = (N,1,W) · (N,W,C).
  be.embedding(a.textEmb, x.textIds, p.wte);
  be.matmul(a.elemText, x.textWeights, a.textEmb);
  // Box and state MLP.
  be.matmul(a.boxPre, x.box, p.box1w);
  be.biasAdd(a.boxPre, a.boxPre, p.box1b);
  be.activation('gelu', a.boxH, a.boxPre);
  be.matmul(a.elemRows, a.boxH, p.box2w);
  be.biasAdd(a.elemRows, a.elemRows, p.box2b);
  // Pixel crop projection.
  be.matmul(a.cropOut, x.crop, p.cropw);
  be.biasAdd(a.cropOut, a.cropOut, p.cropb);
  be.add(a.elemRows, a.elemRows, a.cropOut);
  be.add(a.elemRows, a.elemRows, a.elemText);
  // Place tokens and elements into the sequence, then add positions: wpe viewed as one
  // (T·C) bias over B rows of (T·C).
  be.embedding(a.tokEmb, x.tokens, p.wte);
  be.embedding(a.slotEmb, x.slots, a.elemTable);
  be.add(a.encoded, a.tokEmb, a.slotEmb);
  be.biasAdd(a.encodedRows, a.encodedRows, p.wpeRow);
}

/** One pre-LN block: res2 = x + proj(attn(ln1(x))); res3 = res2 + fcproj(gelu(fc(ln2(res2)))). */
export function blockForward(m: PlannerCore, x: Tensor, w: LayerParams, a: LayerActs): void {
  const { be, dims, B, inputs } = m;
  const shape = { B, T: dims.T, NH: dims.NH, HS: dims.HS };
  be.layerNorm({ out: a.ln1, mean: a.ln1Mean, rstd: a.ln1Rstd, x, w: w.ln1w, b: w.ln1b });
  be.matmul(a.qkv, a.ln1, w.qkvw);
  be.biasAdd(a.qkv, a.qkv, w.qkvb);
  be.attention(a.atty, a.att, a.qkv, inputs.prefixLen, shape);
  be.matmul(m.acts.proj, a.atty, w.attprojw);
  be.biasAdd(m.acts.proj, m.acts.proj, w.attprojb);
  be.add(a.res2, x, m.acts.proj);
  be.layerNorm({ out: a.ln2, mean: a.ln2Mean, rstd: a.ln2Rstd, x: a.res2, w: w.ln2w, b: w.ln2b });
  be.matmul(a.fch, a.ln2, w.fcw);
  be.biasAdd(a.fch, a.fch, w.fcb);
  be.activation('gelu', a.fchGelu, a.fch);
  be.matmul(m.acts.proj, a.fchGelu, w.fcprojw);
  be.biasAdd(m.acts.proj, m.acts.proj, w.fcprojb);
  be.add(a.res3, a.res2, m.acts.proj);
}

/** Encoder and every block; returns the last residual (B·T, C). Fills each layer's qkv. */
export function trunkForward(m: PlannerCore): Tensor {
  encoderForward(m);
  let residual = m.acts.encoded;
  for (let l = 0; l < m.dims.L; l++) {
    blockForward(m, residual, m.params.layers[l], m.acts.layers[l]);
    residual = m.acts.layers[l].res3;
  }
  return residual;
}

/**
 * The whole forward: logits (B·T, V) through the tied head, then the token heads:
 * losses = −log p(target) (0 where the target is −1), logp = −losses, and
 * loss = Σ losses / validTargets (the SFT loss: mean over forecast tokens).
 */
export function plannerForward(m: PlannerCore, validTargets: number): void {
  const { be, params: p, acts: a, inputs: x } = m;
  const residual = trunkForward(m);
  be.layerNorm({ out: a.lnf, mean: a.lnfMean, rstd: a.lnfRstd, x: residual, w: p.lnfw, b: p.lnfb });
  be.matmul(a.logits, a.lnf, p.wte, { transB: true });
  be.crossEntropy(a.losses, a.probs, a.logits, x.targets);
  be.scale(a.logp, a.losses, -1);
  be.reduce('sum', a.lossSum, a.losses);
  be.scale(a.loss, a.lossSum, 1 / Math.max(1, validTargets));
}

/** Per-sequence views of the rows that carry targets: positions P−1..T−1 (F rows) of each. */
export interface ForecastRows {
  lnf: Tensor[];
  logits: Tensor[];
  probs: Tensor[];
  losses: Tensor[];
  targets: Tensor[];
  /** The (B·T, V) backward scratch, also GRPO's entropy scratch. */
  dlogits: Tensor[];
  /** The (B·T, C) gradient of lnf (backward). */
  dln: Tensor[];
}

/**
 * The forecast rows of m's buffers, or null on WebGPU, whose views must start on 256-byte
 * boundaries (a row of V logits rarely does).
 */
export function forecastRows(m: PlannerCore): ForecastRows | null {
  const { be, B, dims, acts: a, inputs: x, dacts: g } = m;
  if (be.kind === 'webgpu') return null;
  const { T, P, F, C, V } = dims;
  const rows = (t: Tensor, width: number) =>
    Array.from({ length: B }, (_, b) =>
      be.view(t, (b * T + P - 1) * width, width === 1 ? [F] : [F, width], `${t.name}.forecast`),
    );
  return {
    lnf: rows(a.lnf, C),
    logits: rows(a.logits, V),
    probs: rows(a.probs, V),
    losses: rows(a.losses, 1),
    targets: rows(x.targets, 1),
    dlogits: rows(g.dlogits, V),
    dln: rows(g.dln, C),
  };
}

/**
 * plannerForward with the tied head and the cross-entropy on the forecast rows only, the only
 * rows with targets: there the logits, probs, losses and logp are the full forward's, bit for
 * bit (both ops work row by row), for about half of the head's work. On the prompt rows the
 * logits and probs keep whatever they held (finite: zeros or an earlier forward's), so readers
 * must weigh them by 0 there, as crossEntropyBackward (target −1) and the masked GRPO terms
 * do; losses and logp there stay 0, as no target ever sits on a prompt row.
 */
export function plannerForwardForecast(
  m: PlannerCore,
  rows: ForecastRows,
  validTargets: number,
): void {
  const { be, params: p, acts: a } = m;
  const residual = trunkForward(m);
  be.layerNorm({ out: a.lnf, mean: a.lnfMean, rstd: a.lnfRstd, x: residual, w: p.lnfw, b: p.lnfb });
  for (let b = 0; b < m.B; b++) {
    be.matmul(rows.logits[b], rows.lnf[b], p.wte, { transB: true });
    be.crossEntropy(rows.losses[b], rows.probs[b], rows.logits[b], rows.targets[b]);
  }
  be.scale(a.logp, a.losses, -1);
  be.reduce('sum', a.lossSum, a.losses);
  be.scale(a.loss, a.lossSum, 1 / Math.max(1, validTargets));
}
