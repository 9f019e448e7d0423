// The planner's backward pass: the ops of forward.ts in exact reverse order. Parameter
// gradients ACCUMULATE (zero them with the planner's zeroGrad first); the activation
// gradients are scratch that this pass zeroes itself where an op accumulates into them.
//
// The residual stream has ONE gradient buffer, dres: it enters as d(block output), each
// branch reads it, and the branch's layer-norm backward adds the branch's contribution, so
// on leaving a block dres = d(block input). No residual copies are needed.
import type { Tensor } from '../../kernels/backend';
import type { LayerActs } from './acts';
import type { ForecastRows, PlannerCore } from './forward';
import type { LayerParams } from './params';

/** Backward of one block; dres holds d(res3) on entry and d(x) on exit. */
export function blockBackward(
  m: PlannerCore,
  x: Tensor,
  w: LayerParams,
  dw: LayerParams,
  a: LayerActs,
): void {
  const { be, dims, B, dacts: g } = m;
  const shape = { B, T: dims.T, NH: dims.NH, HS: dims.HS };
  // MLP branch: res3 = res2 + fchGelu·fcprojw + fcprojb.
  be.matmul(dw.fcprojw, a.fchGelu, g.dres, { transA: true, accumulate: true });
  be.biasBackward(dw.fcprojb, g.dres);
  be.matmul(g.dfchGelu, g.dres, w.fcprojw, { transB: true });
  be.zero(g.dfch);
  be.activationBackward('gelu', g.dfch, a.fch, g.dfchGelu);
  be.matmul(dw.fcw, a.ln2, g.dfch, { transA: true, accumulate: true });
  be.biasBackward(dw.fcb, g.dfch);
  be.matmul(g.dln, g.dfch, w.fcw, { transB: true });
  be.layerNormBackward({
    dx: g.dres,
    dw: dw.ln2w,
    db: dw.ln2b,
    dout: g.dln,
    x: a.res2,
    w: w.ln2w,
    mean: a.ln2Mean,
    rstd: a.ln2Rstd,
  });
  // Attention branch: res2 = x + atty·attprojw + attprojb.
  be.matmul(dw.attprojw, a.atty, g.dres, { transA: true, accumulate: true });
  be.biasBackward(dw.attprojb, g.dres);
  be.matmul(g.dattY, g.dres, w.attprojw, { transB: true });
  be.zero(g.dqkv);
  be.attentionBackward(g.dqkv, g.datt, g.dattY, a.qkv, a.att, shape);
  be.matmul(dw.qkvw, a.ln1, g.dqkv, { transA: true, accumulate: true });
  be.biasBackward(dw.qkvb, g.dqkv);
  be.matmul(g.dln, g.dqkv, w.qkvw, { transB: true });
  be.layerNormBackward({
    dx: g.dres,
    dw: dw.ln1w,
    db: dw.ln1b,
    dout: g.dln,
    x,
    w: w.ln1w,
    mean: a.ln1Mean,
    rstd: a.ln1Rstd,
  });
}

/** Backward of encoderForward; dres holds d(encoded) on entry. */
export function encoderBackward(m: PlannerCore): void {
  const { be, params: p, grads: d, inputs: x, acts: a, dacts: g } = m;
  be.biasBackward(d.wpeRow, g.dresRows);
  be.zero(g.delemTable);
  be.embeddingBackward(g.delemTable, g.dres, x.slots);
  be.embeddingBackward(d.wte, g.dres, x.tokens);
  // Every element branch was added into elemRows, so each receives delemRows unchanged.
  be.matmul(d.cropw, x.crop, g.delemRows, { transA: true, accumulate: true });
  be.biasBackward(d.cropb, g.delemRows);
  be.matmul(d.box2w, a.boxH, g.delemRows, { transA: true, accumulate: true });
  be.biasBackward(d.box2b, g.delemRows);
  be.matmul(g.dboxH, g.delemRows, p.box2w, { transB: true });
  be.zero(g.dboxPre);
  be.activationBackward('gelu', g.dboxPre, a.boxPre, g.dboxH);
  be.matmul(d.box1w, x.box, g.dboxPre, { transA: true, accumulate: true });
  be.biasBackward(d.box1b, g.dboxPre);
  // Text mean: (N,W,C) = (N,1,W)ᵀ · (N,1,C), then scatter into wte.
  be.matmul(g.dtextEmb, x.textWeights, g.delemRows3, { transA: true });
  be.embeddingBackward(d.wte, g.dtextEmb, x.textIds);
}

/**
 * Gradients of Σ_n dlosses[n] · losses[n] (losses = −log p(target)) into m.grads.
 * SFT passes 1/validTargets everywhere (the mean loss); GRPO passes −dlogp.
 * With the forecast rows (every target of a packed batch sits on them), d(lnf) = dlogits·wte is computed
 * there only: the other rows' dlogits are exactly 0 (their target is −1), so their d(lnf) is
 * the 0 that zeroing gives, and the forecast rows' sums are the full product's bit for bit
 * (the product works row by row). dwte still sums over every row: its sums run over the rows,
 * and leaving rows out would regroup them.
 */
export function plannerBackward(
  m: PlannerCore,
  dlosses: Tensor,
  rows: ForecastRows | null = null,
): void {
  const { be, params: p, grads: d, inputs: x, acts: a, dacts: g } = m;
  be.crossEntropyBackward(g.dlogits, a.probs, x.targets, dlosses);
  // Tied head: logits = lnf · wteᵀ.
  be.matmul(d.wte, g.dlogits, a.lnf, { transA: true, accumulate: true });
  if (rows) {
    be.zero(g.dln);
    for (let b = 0; b < m.B; b++) be.matmul(rows.dln[b], rows.dlogits[b], p.wte);
  } else {
    be.matmul(g.dln, g.dlogits, p.wte);
  }
  const L = m.dims.L;
  const last = L > 0 ? a.layers[L - 1].res3 : a.encoded;
  be.zero(g.dres);
  be.layerNormBackward({
    dx: g.dres,
    dw: d.lnfw,
    db: d.lnfb,
    dout: g.dln,
    x: last,
    w: p.lnfw,
    mean: a.lnfMean,
    rstd: a.lnfRstd,
  });
  for (let l = L - 1; l >= 0; l--) {
    const input = l > 0 ? a.layers[l - 1].res3 : a.encoded;
    blockBackward(m, input, p.layers[l], d.layers[l], a.layers[l]);
  }
  encoderBackward(m);
}
