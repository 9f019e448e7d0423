// KV-cache sampling on the backend. The planner's per-layer qkv activations (B,T,3C) are the
// cache: one trunk forward over the batch of prompts fills rows 0..P−1 of every layer (the
// forecast rows hold padding and are overwritten before they are read), then each decode
// step runs ONE position for all B rows:
//
//   x = wte[token] + wpe[pos] → per layer: ln1 → qkv row → writeRow into the cache at pos →
//   attentionStep → proj → residual; ln2 → fc → GELU → proj → residual → lnf → logits →
//   sampleTokens (temperature, top-p, uniforms drawn up front from the seeded Rng)
//
// The first step runs at pos P−1 (the SEP token) and yields forecast token 0; its sampled
// ids stay on the device and are the next step's input. Ids and log-probs (at temperature 1,
// untruncated: the policy's own log-prob) are read back once, at the end. By default every
// step runs all F positions; tokens after a row's <eos> are sampled but are not part of its
// forecast. A sampler built with stopAtEos (where a readback is a copy, not a device round
// trip) reads each step's B ids and stops once every row has ended: nothing a row's forecast
// holds changes (the uniforms are drawn for all F steps up front either way), and the
// positions never sampled read as <eos> with log-prob 0.
//
// Group sampling: B = prompts × G, each prompt repeated G times in a row (repeatPrompts),
// the layout groupNormalize expects. A sampler built with the group size G runs the trunk
// over each distinct prompt once (B/G rows, its own small buffers sharing the planner's
// weights) and copies the prompt rows of every layer's cache to the G rows that share the
// prompt: the trunk's work per row does not depend on the other rows, so the cache holds the
// same values, bit for bit, for a G-th of the work. Batches with more distinct prompts than
// that (evaluation) take the full trunk.
import { alignedSize, type Tensor } from '../../kernels/backend';
import type { Rng } from '../../rng';
import type { Vocab } from '../../text/vocab';
import { allocBuffers, writeInputs } from './acts';
import { packBatch, type EncodedPrompt } from './encode';
import { trunkForward, type PlannerCore } from './forward';
import { Layout, take } from '../../kernels/layout';
import type { Planner } from './planner';

export interface SampleSettings {
  /** Softmax temperature; 0 = greedy. */
  temperature: number;
  /** Nucleus mass in (0, 1]; 1 = no truncation. */
  topP: number;
}

export interface SampleResult {
  /** (B, F) sampled forecast ids. */
  ids: Int32Array;
  /** (B, F) log p of each sampled id under the policy (temperature 1, no top-p). */
  logp: Float32Array;
  /** (B) forecast tokens up to and including the first <eos> (F when none came). */
  lengths: Int32Array;
  /** Forecast positions per row. */
  F: number;
  /** Decode steps run: F, or fewer where stopAtEos stopped once every row had ended. */
  steps: number;
}

/** Each prompt G times in a row: the batch of a GRPO rollout (B = prompts × G). */
export function repeatPrompts(prompts: readonly EncodedPrompt[], G: number): EncodedPrompt[] {
  return prompts.flatMap((p) => Array.from({ length: G }, () => p));
}

/** Per-row views of an (F, stride) region: row j starts at j·stride (256-byte aligned). */
interface Rows {
  all: Tensor;
  rows: Tensor[];
}

export interface SamplerOptions {
  /**
   * Samples per prompt when batches come from repeatPrompts: the trunk then runs once per
   * distinct prompt (see the header). Default 1: the full trunk.
   */
  groupSize?: number;
  /**
   * Stop the decode loop once every row has sampled <eos> (see the header). Only on backends
   * whose readback is a copy (CPU, wasm); ignored on WebGPU. Default false: all F steps.
   */
  stopAtEos?: boolean;
}

/** The trunk over distinct prompts: its own inputs and activations, the planner's weights. */
interface PrefixTrunk {
  core: PlannerCore;
  /** [layer][u]: the first P positions of distinct prompt u in the small trunk's qkv. */
  from: Tensor[][];
  /** [layer][b]: the same positions of row b in the planner's cache. */
  to: Tensor[][];
  pools: Tensor[];
}

export class Sampler {
  private readonly planner: Planner;
  private readonly vocab: Vocab;
  /** Elements between consecutive per-step rows of B values. */
  private readonly stride: number;
  private readonly sepIds: Tensor;
  private readonly posIds: Rows;
  private readonly sampled: Rows;
  private readonly logps: Rows;
  private readonly uniforms: Rows;
  /** (B, T, 3C) views of each layer's qkv activations: the cache. */
  private readonly cache: Tensor[];
  private readonly s: {
    tok: Tensor;
    pos: Tensor;
    res: Tensor;
    ln: Tensor;
    mean: Tensor;
    rstd: Tensor;
    qkv: Tensor;
    attY: Tensor;
    proj: Tensor;
    fch: Tensor;
    fchGelu: Tensor;
    logits: Tensor;
  };
  private readonly prefix: PrefixTrunk | null;
  private readonly pools: Tensor[];
  private readonly stopAtEos: boolean;

  constructor(planner: Planner, vocab: Vocab, options: SamplerOptions = {}) {
    const { be, B } = planner;
    const { C, FC, V, T, F, P } = planner.dims;
    if (vocab.size !== V)
      throw new Error(`Sampler: vocab has ${vocab.size} tokens, planner V=${V}`);
    this.planner = planner;
    this.vocab = vocab;
    this.stride = alignedSize(B);

    const ints = new Layout();
    ints.add('sepIds', [B]);
    ints.add('posIds', [F * this.stride]);
    ints.add('sampled', [F * this.stride]);
    const floats = new Layout();
    floats.add('logps', [F * this.stride]);
    floats.add('uniforms', [F * this.stride]);
    for (const [name, width] of [
      ['tok', C],
      ['pos', C],
      ['res', C],
      ['ln', C],
      ['qkv', 3 * C],
      ['attY', C],
      ['proj', C],
      ['fch', FC],
      ['fchGelu', FC],
      ['logits', V],
    ] as const) {
      floats.add(name, [B, width]);
    }
    floats.add('mean', [B]);
    floats.add('rstd', [B]);
    const intPool = be.tensor([ints.size], 'i32', 'sampler.i32');
    const floatPool = be.tensor([floats.size], 'f32', 'sampler.f32');
    this.pools = [intPool, floatPool];
    const iv = ints.views(be, intPool, 0, 'sampler');
    const fv = floats.views(be, floatPool, 0, 'sampler');
    const rows = (all: Tensor): Rows => ({
      all,
      rows: Array.from({ length: F }, (_, j) => be.view(all, j * this.stride, [B])),
    });
    this.sepIds = take(iv, 'sepIds');
    this.posIds = rows(take(iv, 'posIds'));
    this.sampled = rows(take(iv, 'sampled'));
    this.logps = rows(take(fv, 'logps'));
    this.uniforms = rows(take(fv, 'uniforms'));
    this.s = {
      tok: take(fv, 'tok'),
      pos: take(fv, 'pos'),
      res: take(fv, 'res'),
      ln: take(fv, 'ln'),
      mean: take(fv, 'mean'),
      rstd: take(fv, 'rstd'),
      qkv: take(fv, 'qkv'),
      attY: take(fv, 'attY'),
      proj: take(fv, 'proj'),
      fch: take(fv, 'fch'),
      fchGelu: take(fv, 'fchGelu'),
      logits: take(fv, 'logits'),
    };
    this.cache = planner.acts.layers.map((a) => be.view(a.qkv, 0, [B, T, 3 * C], 'sampler.cache'));
    this.prefix = this.prefixTrunk(options.groupSize ?? 1);
    this.stopAtEos = (options.stopAtEos ?? false) && be.kind !== 'webgpu';
    // Constant inputs: the SEP token of step 0 and the position of every step.
    be.write(this.sepIds, new Int32Array(B).fill(vocab.sep));
    const pos = new Int32Array(F * this.stride);
    for (let j = 0; j < F; j++) pos.fill(P - 1 + j, j * this.stride, j * this.stride + B);
    be.write(this.posIds.all, pos);
  }

  /** Samples a forecast for each of the B prompts (B = the planner's batch size). */
  async sample(
    prompts: readonly EncodedPrompt[],
    settings: SampleSettings,
    rng: Rng,
  ): Promise<SampleResult> {
    const { planner, stride } = this;
    const { be, B } = planner;
    const { F, P } = planner.dims;
    if (prompts.length !== B) {
      throw new Error(
        `Sampler.sample: ${prompts.length} prompts, the planner was built for B=${B}`,
      );
    }
    const uniforms = new Float32Array(F * stride);
    for (let j = 0; j < F; j++) {
      for (let b = 0; b < B; b++) uniforms[j * stride + b] = rng.next();
    }
    be.write(this.uniforms.all, uniforms);
    this.fillCache(prompts);
    const open = new Uint8Array(B).fill(1);
    let steps = F;
    for (let j = 0; j < F; j++) {
      const token = j === 0 ? this.sepIds : this.sampled.rows[j - 1];
      this.step(P - 1 + j, token, this.posIds.rows[j]);
      be.sampleTokens(
        this.sampled.rows[j],
        this.logps.rows[j],
        this.s.logits,
        this.uniforms.rows[j],
        settings.temperature,
        settings.topP,
      );
      if (this.stopAtEos && (await this.allEnded(this.sampled.rows[j], open))) {
        steps = j + 1;
        break;
      }
    }
    const idsAll = (await be.read(this.sampled.all)) as Int32Array;
    const logpAll = (await be.read(this.logps.all)) as Float32Array;
    const ids = new Int32Array(B * F).fill(this.vocab.eos);
    const logp = new Float32Array(B * F);
    const lengths = new Int32Array(B).fill(F);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < steps; j++) {
        ids[b * F + j] = idsAll[j * stride + b];
        logp[b * F + j] = logpAll[j * stride + b];
        if (lengths[b] === F && ids[b * F + j] === this.vocab.eos) lengths[b] = j + 1;
      }
    }
    return { ids, logp, lengths, F, steps };
  }

  /** Marks the rows whose id in `sampled` (B) is <eos>; whether no row is left open. */
  private async allEnded(sampled: Tensor, open: Uint8Array): Promise<boolean> {
    const ids = (await this.planner.be.read(sampled)) as Int32Array;
    let left = 0;
    for (let b = 0; b < ids.length; b++) {
      if (ids[b] === this.vocab.eos) open[b] = 0;
      left += open[b];
    }
    return left === 0;
  }

  /** Small trunk buffers for B/G distinct prompts, or null when G gives no saving. */
  private prefixTrunk(G: number): PrefixTrunk | null {
    const { be, B, dims, params, grads } = this.planner;
    if (!Number.isInteger(G) || G < 1 || B % G !== 0)
      throw new Error(`Sampler: group size ${G} must be a whole divisor of B=${B}`);
    const row = dims.T * 3 * dims.C;
    // WebGPU views start on 256-byte boundaries: with rows that do not, the full trunk.
    if (G === 1 || (be.kind === 'webgpu' && alignedSize(row) !== row)) return null;
    const U = B / G;
    const { inputs, acts, dacts, pools } = allocBuffers(be, dims, U);
    const core: PlannerCore = { be, dims, B: U, params, grads, inputs, acts, dacts };
    const span = [dims.P * 3 * dims.C];
    const rows = (qkv: Tensor, n: number, name: string) =>
      Array.from({ length: n }, (_, b) => be.view(qkv, b * row, span, name));
    return {
      core,
      from: acts.layers.map((a) => rows(a.qkv, U, 'sampler.prefix')),
      to: this.planner.acts.layers.map((a) => rows(a.qkv, B, 'sampler.cache.prefix')),
      pools,
    };
  }

  /** Rows 0..P−1 of every layer's cache from the trunk over the prompts. */
  private fillCache(prompts: readonly EncodedPrompt[]): void {
    const { be, dims } = this.planner;
    const pack = (ps: readonly EncodedPrompt[]) =>
      packBatch(
        dims,
        this.vocab,
        ps.map((prompt) => ({ prompt, forecast: [] })),
      );
    const distinct = [...new Set(prompts)];
    const prefix = this.prefix;
    if (!prefix || distinct.length > prefix.core.B) {
      this.planner.writeBatch(pack(prompts));
      trunkForward(this.planner);
      return;
    }
    // Spare rows repeat the first prompt; they are computed and never copied.
    const rows = [
      ...distinct,
      ...Array<EncodedPrompt>(prefix.core.B - distinct.length).fill(distinct[0]),
    ];
    writeInputs(be, prefix.core.inputs, pack(rows));
    trunkForward(prefix.core);
    const index = new Map(distinct.map((p, u) => [p, u]));
    for (let l = 0; l < dims.L; l++) {
      prompts.forEach((p, b) => be.copy(prefix.to[l][b], prefix.from[l][index.get(p)!]));
    }
  }

  /** One position for all B rows: logits (B, V) of the token after `token` at `pos`. */
  private step(pos: number, token: Tensor, posId: Tensor): void {
    const { be, B, dims, params: p } = this.planner;
    const s = this.s;
    const shape = { B, T: dims.T, NH: dims.NH, HS: dims.HS };
    be.embedding(s.tok, token, p.wte);
    be.embedding(s.pos, posId, p.wpe);
    be.add(s.res, s.tok, s.pos);
    for (let l = 0; l < dims.L; l++) {
      const w = p.layers[l];
      be.layerNorm({ out: s.ln, mean: s.mean, rstd: s.rstd, x: s.res, w: w.ln1w, b: w.ln1b });
      be.matmul(s.qkv, s.ln, w.qkvw);
      be.biasAdd(s.qkv, s.qkv, w.qkvb);
      be.writeRow(this.cache[l], s.qkv, pos);
      be.attentionStep(s.attY, this.cache[l], pos, this.planner.inputs.prefixLen, shape);
      be.matmul(s.proj, s.attY, w.attprojw);
      be.biasAdd(s.proj, s.proj, w.attprojb);
      be.add(s.res, s.res, s.proj);
      be.layerNorm({ out: s.ln, mean: s.mean, rstd: s.rstd, x: s.res, w: w.ln2w, b: w.ln2b });
      be.matmul(s.fch, s.ln, w.fcw);
      be.biasAdd(s.fch, s.fch, w.fcb);
      be.activation('gelu', s.fchGelu, s.fch);
      be.matmul(s.proj, s.fchGelu, w.fcprojw);
      be.biasAdd(s.proj, s.proj, w.fcprojb);
      be.add(s.res, s.res, s.proj);
    }
    be.layerNorm({ out: s.ln, mean: s.mean, rstd: s.rstd, x: s.res, w: p.lnfw, b: p.lnfb });
    be.matmul(s.logits, s.ln, p.wte, { transB: true });
  }

  release(): void {
    for (const t of [...this.pools, ...(this.prefix?.pools ?? [])]) this.planner.be.release(t);
  }
}
