// The planner's parameters: one size table (paramLayout), instantiated four times in ONE pool
// — parameters, gradients, AdamW first and second moments — so zeroing the gradients, their
// global norm, clipping and the optimiser are each one op over a flat region.
//
// Weights are stored (in, out): y = x·w. The LM head is TIED to the token embedding
// (logits = lnf · wteᵀ): the vocabulary is small and the element encoder reads the same rows
// (roles, element text), so one table learns from both ends.
import type { Backend, Tensor } from '../../kernels/backend';
import type { Rng } from '../../rng';
import type { ModelDims } from './config';
import { Layout, take } from '../../kernels/layout';

export interface LayerParams {
  /** (C) */
  ln1w: Tensor;
  ln1b: Tensor;
  /** (C, 3C), (3C) */
  qkvw: Tensor;
  qkvb: Tensor;
  /** (C, C), (C) */
  attprojw: Tensor;
  attprojb: Tensor;
  /** (C) */
  ln2w: Tensor;
  ln2b: Tensor;
  /** (C, FC), (FC) */
  fcw: Tensor;
  fcb: Tensor;
  /** (FC, C), (C) */
  fcprojw: Tensor;
  fcprojb: Tensor;
}

export interface ParamTensors {
  /** (V, C) token embedding, also the LM head. */
  wte: Tensor;
  /** (T, C) position embedding. */
  wpe: Tensor;
  /** (T·C) the same, as one bias over rows of a whole sequence. */
  wpeRow: Tensor;
  /** Element box/state MLP: (BF, BH), (BH), (BH, C), (C). */
  box1w: Tensor;
  box1b: Tensor;
  box2w: Tensor;
  box2b: Tensor;
  /** Element pixel crop projection: (CROP, C), (C). */
  cropw: Tensor;
  cropb: Tensor;
  layers: LayerParams[];
  /** (C) final layer norm. */
  lnfw: Tensor;
  lnfb: Tensor;
}

const LAYER_KEYS = [
  'ln1w',
  'ln1b',
  'qkvw',
  'qkvb',
  'attprojw',
  'attprojb',
  'ln2w',
  'ln2b',
  'fcw',
  'fcb',
  'fcprojw',
  'fcprojb',
] as const satisfies readonly (keyof LayerParams)[];

/** The size table: every parameter tensor, its name and shape, in pool order. */
export function paramLayout(d: ModelDims): Layout {
  const { C, FC } = d;
  const lay = new Layout();
  lay.add('wte', [d.V, C]);
  lay.add('wpe', [d.T, C]);
  lay.add('box1w', [d.BF, d.BH]);
  lay.add('box1b', [d.BH]);
  lay.add('box2w', [d.BH, C]);
  lay.add('box2b', [C]);
  lay.add('cropw', [d.CROP, C]);
  lay.add('cropb', [C]);
  const shapes: Record<(typeof LAYER_KEYS)[number], number[]> = {
    ln1w: [C],
    ln1b: [C],
    qkvw: [C, 3 * C],
    qkvb: [3 * C],
    attprojw: [C, C],
    attprojb: [C],
    ln2w: [C],
    ln2b: [C],
    fcw: [C, FC],
    fcb: [FC],
    fcprojw: [FC, C],
    fcprojb: [C],
  };
  for (let l = 0; l < d.L; l++) {
    for (const k of LAYER_KEYS) lay.add(`layers.${l}.${k}`, shapes[k]);
  }
  lay.add('lnfw', [C]);
  lay.add('lnfb', [C]);
  return lay;
}

/** Named views of one region (params, grads, m or v) of the pool. */
export function paramViews(
  be: Backend,
  layout: Layout,
  pool: Tensor,
  base: number,
  prefix: string,
  L: number,
): ParamTensors {
  const v = layout.views(be, pool, base, prefix);
  const layers: LayerParams[] = [];
  for (let l = 0; l < L; l++) {
    const p = {} as LayerParams;
    for (const k of LAYER_KEYS) p[k] = take(v, `layers.${l}.${k}`);
    layers.push(p);
  }
  const wpe = take(v, 'wpe');
  return {
    wte: take(v, 'wte'),
    wpe,
    wpeRow: be.view(wpe, 0, [wpe.size], `${prefix}.wpeRow`),
    box1w: take(v, 'box1w'),
    box1b: take(v, 'box1b'),
    box2w: take(v, 'box2w'),
    box2b: take(v, 'box2b'),
    cropw: take(v, 'cropw'),
    cropb: take(v, 'cropb'),
    layers,
    lnfw: take(v, 'lnfw'),
    lnfb: take(v, 'lnfb'),
  };
}

/**
 * GPT-2 initialisation of a whole parameter region, as a host array in layout order:
 * weights N(0, 0.02), the residual projections (attprojw, fcprojw) N(0, 0.02/√(2L)),
 * wpe N(0, 0.01), biases 0, layer-norm gains 1. Draws in layout order, so a seed fixes it.
 */
export function initParams(layout: Layout, L: number, rng: Rng): Float32Array {
  const out = new Float32Array(layout.size);
  for (const e of layout.entries) {
    const key = e.name.split('.').pop()!;
    const view = out.subarray(e.offset, e.offset + e.size);
    if (key.startsWith('ln') && key.endsWith('w')) view.fill(1);
    else if (e.shape.length === 1) view.fill(0);
    else {
      const std =
        key === 'attprojw' || key === 'fcprojw'
          ? 0.02 / Math.sqrt(2 * L)
          : key === 'wpe'
            ? 0.01
            : 0.02;
      for (let i = 0; i < view.length; i++) view[i] = rng.normal(0, std);
    }
  }
  return out;
}
