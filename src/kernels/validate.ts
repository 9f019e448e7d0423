// Argument checks shared by every backend: one function per op of the Backend interface.
// Each throws a KernelError naming the op and the shapes, and returns the dimensions the
// kernel needs, so a backend never re-derives (or mis-derives) them itself.
//
// Only what is known without reading memory is checked here (shapes, dtypes, settings).
// Index values (ids, targets, prefixLen) live in tensors; the CPU backend range-checks them
// as it runs, the WebGPU kernels cannot.
import {
  KernelError,
  sizeOf,
  type Activation,
  type AttentionShape,
  type Backend,
  type DType,
  type ReduceKind,
  type Tensor,
} from './backend';

/** Default epsilons for ops whose `eps` argument is optional; both backends use these. */
export const LAYER_NORM_EPS = 1e-5;
export const GROUP_NORMALIZE_EPS = 1e-6;

export const ACTIVATIONS: readonly Activation[] = ['gelu', 'relu', 'tanh'];
export const REDUCE_KINDS: readonly ReduceKind[] = ['sum', 'mean', 'max'];

export interface MatmulDims {
  /** Number of matrices in the batch prefix of a (1 when a is 2-D). */
  batch: number;
  M: number;
  N: number;
  K: number;
  /** True when b carries the same batch prefix as a; false when b is 2-D and shared. */
  bBatched: boolean;
}
/** A tensor seen as R rows of C contiguous elements (C = last dimension). */
export interface RowDims {
  R: number;
  C: number;
}
export interface AttentionDims extends AttentionShape {
  C: number;
}
export interface TokenDims {
  /** Number of rows (tokens). */
  N: number;
  /** Row width: vocabulary size or channels. */
  V: number;
}
export interface EmbeddingDims {
  N: number;
  V: number;
  C: number;
}
export interface SeqDims {
  B: number;
  T: number;
}

/** "(4,3)" */
export function shapeString(shape: readonly number[]): string {
  return `(${shape.join(',')})`;
}

function describe(role: string, t: Tensor): string {
  return `${role} ${shapeString(t.shape)}`;
}

function fail(op: string, message: string): never {
  throw new KernelError(op, message);
}

/** The tensor exists, is not released, and has the expected dtype. */
function check(op: string, role: string, t: Tensor | null | undefined, dtype: DType): void {
  if (!t) fail(op, `${role} is missing`);
  if (t.released) fail(op, `${describe(role, t)} '${t.name}' was released`);
  if (t.dtype !== dtype) fail(op, `${describe(role, t)} must be ${dtype}, got ${t.dtype}`);
}

function lastDim(t: Tensor): number {
  return t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
}

function sameSize(op: string, roles: string[], ts: Tensor[]): number {
  const n = ts[0].size;
  for (let i = 1; i < ts.length; i++) {
    if (ts[i].size !== n) {
      const list = ts.map((t, j) => describe(roles[j], t)).join(', ');
      fail(op, `sizes differ: ${list}`);
    }
  }
  return n;
}

/** `t` holds rows of width C (its last dimension is C and its size R·C). */
function rowsOf(op: string, role: string, t: Tensor, R: number, C: number, ref: string): void {
  if (lastDim(t) !== C || t.size !== R * C) {
    fail(op, `${describe(role, t)} must be (${R},${C}) rows like ${ref}`);
  }
}

function sized(op: string, role: string, t: Tensor, n: number, ref: string): void {
  if (t.size !== n) fail(op, `${describe(role, t)} must have ${n} elements to match ${ref}`);
}

function finite(op: string, name: string, x: number): void {
  if (!Number.isFinite(x)) fail(op, `${name} must be finite, got ${x}`);
}

/** Elements of a shape whose dimensions must all be positive integers. */
function shapeSize(op: string, shape: readonly number[]): number {
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    fail(op, `shape ${shapeString(shape)} must be non-empty positive integers`);
  }
  return sizeOf(shape);
}

function positiveInt(op: string, name: string, x: number): void {
  if (!Number.isInteger(x) || x < 1) fail(op, `${name} must be a positive integer, got ${x}`);
}

function rows(op: string, role: string, x: Tensor, dtype: DType = 'f32'): RowDims {
  check(op, role, x, dtype);
  const C = lastDim(x);
  return { R: x.size / C, C };
}

function elementwise(op: string, roles: string[], ts: Tensor[]): { n: number } {
  ts.forEach((t, i) => check(op, roles[i], t, 'f32'));
  return { n: sameSize(op, roles, ts) };
}

function activationKind(op: string, kind: Activation): void {
  if (!ACTIVATIONS.includes(kind)) fail(op, `unknown activation '${kind}'`);
}

function attentionShape(op: string, s: AttentionShape): AttentionDims {
  positiveInt(op, 'B', s.B);
  positiveInt(op, 'T', s.T);
  positiveInt(op, 'NH', s.NH);
  positiveInt(op, 'HS', s.HS);
  return { B: s.B, T: s.T, NH: s.NH, HS: s.HS, C: s.NH * s.HS };
}

function attentionTensors(
  op: string,
  d: AttentionDims,
  qkvRole: string,
  qkv: Tensor,
  outRole: string,
  out: Tensor,
  attRole: string,
  att: Tensor,
): void {
  const { B, T, NH, HS, C } = d;
  const tag = `B=${B} T=${T} NH=${NH} HS=${HS}`;
  check(op, qkvRole, qkv, 'f32');
  check(op, outRole, out, 'f32');
  check(op, attRole, att, 'f32');
  if (lastDim(qkv) !== 3 * C || qkv.size !== B * T * 3 * C) {
    fail(op, `${describe(qkvRole, qkv)} must be (${B},${T},${3 * C}) for ${tag}`);
  }
  if (lastDim(out) !== C || out.size !== B * T * C) {
    fail(op, `${describe(outRole, out)} must be (${B},${T},${C}) for ${tag}`);
  }
  if (att.size !== B * NH * T * T) {
    fail(op, `${describe(attRole, att)} must be (${B},${NH},${T},${T}) for ${tag}`);
  }
}

/** Checks of the storage methods, which each backend implements over its own memory. */
export const validateStorage = {
  tensor(shape: readonly number[], dtype: DType = 'f32'): { size: number } {
    if (dtype !== 'f32' && dtype !== 'i32') fail('tensor', `unknown dtype '${dtype as string}'`);
    return { size: shapeSize('tensor', shape) };
  },

  /** `alignment` (elements) is 1 on the CPU and 64 (256 bytes) on WebGPU. */
  view(parent: Tensor, offset: number, shape: readonly number[], alignment = 1): { size: number } {
    check('view', 'parent', parent, parent?.dtype);
    const size = shapeSize('view', shape);
    if (!Number.isInteger(offset) || offset < 0) {
      fail('view', `offset ${offset} must be a non-negative integer`);
    }
    if (offset + size > parent.size) {
      fail(
        'view',
        `view ${shapeString(shape)} at offset ${offset} ends at ${offset + size}, past ${describe('parent', parent)} of ${parent.size} elements`,
      );
    }
    if ((parent.offset + offset) % alignment !== 0) {
      fail(
        'view',
        `offset ${parent.offset + offset} (elements) is not a multiple of ${alignment} (${alignment * 4} bytes)`,
      );
    }
    return { size };
  },

  write(t: Tensor, data: Float32Array | Int32Array | readonly number[]): void {
    check('write', 't', t, t?.dtype);
    if (data.length !== t.size) {
      fail('write', `${describe('t', t)} holds ${t.size} elements, got ${data.length}`);
    }
    if (data instanceof Float32Array && t.dtype !== 'f32') {
      fail('write', `Float32Array written into ${t.dtype} ${describe('t', t)}`);
    }
    if (data instanceof Int32Array && t.dtype !== 'i32') {
      fail('write', `Int32Array written into ${t.dtype} ${describe('t', t)}`);
    }
    if (Array.isArray(data) && t.dtype === 'i32' && !data.every((x) => Number.isInteger(x))) {
      fail('write', `non-integer value written into i32 ${describe('t', t)}`);
    }
  },

  read(t: Tensor): void {
    check('read', 't', t, t?.dtype);
  },

  release(t: Tensor): void {
    check('release', 't', t, t?.dtype);
  },
};

/** The ops of the Backend interface: everything but storage and description. */
export type OpName = Exclude<
  keyof Backend,
  | 'kind'
  | 'description'
  | 'tensor'
  | 'view'
  | 'write'
  | 'read'
  | 'release'
  | 'flush'
  | 'sync'
  | 'destroy'
>;

/** One check per op, taking the op's own arguments (declared once, in the interface). */
type OpChecks = { [K in OpName]: (...args: Parameters<Backend[K]>) => unknown };

/**
 * The checks of every op. The parameter types come from the Backend interface; each check
 * returns the dimensions its kernels need.
 */
export const validate = {
  zero(t) {
    check('zero', 't', t, t?.dtype);
  },

  copy(out, a): { n: number } {
    check('copy', 'out', out, out?.dtype);
    check('copy', 'a', a, out.dtype);
    return { n: sameSize('copy', ['out', 'a'], [out, a]) };
  },

  // ---- linear algebra ----
  matmul(out, a, b, opts = {}): MatmulDims {
    const op = 'matmul';
    check(op, 'out', out, 'f32');
    check(op, 'a', a, 'f32');
    check(op, 'b', b, 'f32');
    if (a.shape.length < 2) fail(op, `${describe('a', a)} must be at least 2-D`);
    if (b.shape.length < 2) fail(op, `${describe('b', b)} must be at least 2-D`);
    const [a0, a1] = a.shape.slice(-2);
    const [b0, b1] = b.shape.slice(-2);
    const [M, Ka] = opts.transA ? [a1, a0] : [a0, a1];
    const [Kb, N] = opts.transB ? [b1, b0] : [b0, b1];
    const flags = `${opts.transA ? ' transA' : ''}${opts.transB ? ' transB' : ''}`;
    if (Ka !== Kb) {
      fail(
        op,
        `inner dimensions differ: a ${shapeString(a.shape)} · b ${shapeString(b.shape)}${flags}`,
      );
    }
    const aPrefix = a.shape.slice(0, -2);
    const bPrefix = b.shape.slice(0, -2);
    const bBatched = bPrefix.length > 0;
    if (bBatched && shapeString(aPrefix) !== shapeString(bPrefix)) {
      fail(op, `batch prefixes differ: a ${shapeString(a.shape)} · b ${shapeString(b.shape)}`);
    }
    const batch = sizeOf(aPrefix);
    if (lastDim(out) !== N || out.size !== batch * M * N) {
      fail(
        op,
        `${describe('out', out)} must be ${shapeString([...aPrefix, M, N])} for a ${shapeString(a.shape)} · b ${shapeString(b.shape)}${flags}`,
      );
    }
    return { batch, M, N, K: Ka, bBatched };
  },

  biasAdd(out, x, bias): RowDims {
    const op = 'biasAdd';
    const d = rows(op, 'x', x);
    check(op, 'out', out, 'f32');
    check(op, 'bias', bias, 'f32');
    rowsOf(op, 'out', out, d.R, d.C, `x ${shapeString(x.shape)}`);
    sized(op, 'bias', bias, d.C, `the last dimension of x ${shapeString(x.shape)}`);
    return d;
  },

  biasBackward(dbias, dout): RowDims {
    const op = 'biasBackward';
    const d = rows(op, 'dout', dout);
    check(op, 'dbias', dbias, 'f32');
    sized(op, 'dbias', dbias, d.C, `the last dimension of dout ${shapeString(dout.shape)}`);
    return d;
  },

  // ---- elementwise ----
  add(out, a, b): { n: number } {
    return elementwise('add', ['out', 'a', 'b'], [out, a, b]);
  },

  mul(out, a, b): { n: number } {
    return elementwise('mul', ['out', 'a', 'b'], [out, a, b]);
  },

  scale(out, a, s): { n: number } {
    finite('scale', 's', s);
    return elementwise('scale', ['out', 'a'], [out, a]);
  },

  activation(kind, out, x): { n: number } {
    activationKind('activation', kind);
    return elementwise('activation', ['out', 'x'], [out, x]);
  },

  activationBackward(kind, dx, x, dout): { n: number } {
    activationKind('activationBackward', kind);
    return elementwise('activationBackward', ['dx', 'x', 'dout'], [dx, x, dout]);
  },

  // ---- normalisation ----
  layerNorm(t, eps = LAYER_NORM_EPS): RowDims & { eps: number } {
    const op = 'layerNorm';
    const { out, mean, rstd, x, w, b } = t;
    const d = rows(op, 'x', x);
    const xs = `x ${shapeString(x.shape)}`;
    for (const [role, tensor] of [
      ['out', out],
      ['mean', mean],
      ['rstd', rstd],
      ['w', w],
      ['b', b],
    ] as const) {
      check(op, role, tensor, 'f32');
    }
    rowsOf(op, 'out', out, d.R, d.C, xs);
    sized(op, 'mean', mean, d.R, `the rows of ${xs}`);
    sized(op, 'rstd', rstd, d.R, `the rows of ${xs}`);
    sized(op, 'w', w, d.C, `the last dimension of ${xs}`);
    sized(op, 'b', b, d.C, `the last dimension of ${xs}`);
    if (!(eps > 0) || !Number.isFinite(eps)) fail(op, `eps must be > 0, got ${eps}`);
    return { ...d, eps };
  },

  layerNormBackward(t): RowDims {
    const op = 'layerNormBackward';
    const { dx, dw, db, dout, x, w, mean, rstd } = t;
    const d = rows(op, 'x', x);
    const xs = `x ${shapeString(x.shape)}`;
    for (const [role, tensor] of [
      ['dx', dx],
      ['dw', dw],
      ['db', db],
      ['dout', dout],
      ['w', w],
      ['mean', mean],
      ['rstd', rstd],
    ] as const) {
      check(op, role, tensor, 'f32');
    }
    rowsOf(op, 'dx', dx, d.R, d.C, xs);
    rowsOf(op, 'dout', dout, d.R, d.C, xs);
    sized(op, 'dw', dw, d.C, `the last dimension of ${xs}`);
    sized(op, 'db', db, d.C, `the last dimension of ${xs}`);
    sized(op, 'w', w, d.C, `the last dimension of ${xs}`);
    sized(op, 'mean', mean, d.R, `the rows of ${xs}`);
    sized(op, 'rstd', rstd, d.R, `the rows of ${xs}`);
    return d;
  },

  softmax(out, x): RowDims {
    return rowPair('softmax', ['out', 'x'], [out, x]);
  },

  softmaxBackward(dx, y, dy): RowDims {
    return rowPair('softmaxBackward', ['y', 'dx', 'dy'], [y, dx, dy]);
  },

  logSoftmax(out, x): RowDims {
    return rowPair('logSoftmax', ['out', 'x'], [out, x]);
  },

  logSoftmaxBackward(dx, y, dy): RowDims {
    return rowPair('logSoftmaxBackward', ['y', 'dx', 'dy'], [y, dx, dy]);
  },

  // ---- attention ----
  attention(out, att, qkv, prefixLen, shape): AttentionDims {
    const op = 'attention';
    const d = attentionShape(op, shape);
    attentionTensors(op, d, 'qkv', qkv, 'out', out, 'att', att);
    if (prefixLen !== null) {
      check(op, 'prefixLen', prefixLen, 'i32');
      sized(op, 'prefixLen', prefixLen, d.B, `B=${d.B}`);
    }
    return d;
  },

  attentionBackward(dqkv, datt, dout, qkv, att, shape): AttentionDims {
    const op = 'attentionBackward';
    const d = attentionShape(op, shape);
    attentionTensors(op, d, 'qkv', qkv, 'dout', dout, 'att', att);
    attentionTensors(op, d, 'dqkv', dqkv, 'dout', dout, 'datt', datt);
    return d;
  },

  // ---- embeddings and token losses ----
  embedding(out, ids, table): EmbeddingDims {
    return embeddingDims('embedding', 'out', out, ids, 'table', table);
  },

  embeddingBackward(dtable, dout, ids): EmbeddingDims {
    return embeddingDims('embeddingBackward', 'dout', dout, ids, 'dtable', dtable);
  },

  gatherRows(out, logp, ids): TokenDims {
    return gatherDims('gatherRows', 'logp', logp, 'out', out, ids);
  },

  gatherRowsBackward(dlogp, dout, ids): TokenDims {
    return gatherDims('gatherRowsBackward', 'dlogp', dlogp, 'dout', dout, ids);
  },

  crossEntropy(losses, probs, logits, targets): TokenDims {
    const op = 'crossEntropy';
    const d = gatherDims(op, 'logits', logits, 'losses', losses, targets, 'targets');
    check(op, 'probs', probs, 'f32');
    rowsOf(op, 'probs', probs, d.N, d.V, `logits ${shapeString(logits.shape)}`);
    return d;
  },

  crossEntropyBackward(dlogits, probs, targets, dlosses): TokenDims {
    const op = 'crossEntropyBackward';
    const d = gatherDims(op, 'probs', probs, 'dlosses', dlosses, targets, 'targets');
    check(op, 'dlogits', dlogits, 'f32');
    rowsOf(op, 'dlogits', dlogits, d.N, d.V, `probs ${shapeString(probs.shape)}`);
    return d;
  },

  // ---- reductions ----
  reduce(kind, out, x): RowDims {
    const op = 'reduce';
    if (!REDUCE_KINDS.includes(kind)) fail(op, `unknown reduction '${kind}'`);
    const d = rows(op, 'x', x);
    check(op, 'out', out, 'f32');
    sized(op, 'out', out, d.R, `the rows of x ${shapeString(x.shape)}`);
    return d;
  },

  l2Norm(out, x): { n: number } {
    const op = 'l2Norm';
    check(op, 'x', x, 'f32');
    check(op, 'out', out, 'f32');
    sized(op, 'out', out, 1, 'a scalar norm');
    return { n: x.size };
  },

  // ---- optimisation ----
  adamw(params, grads, m, v, s): { n: number } {
    const op = 'adamw';
    const d = elementwise(op, ['params', 'grads', 'm', 'v'], [params, grads, m, v]);
    if (!(s.lr >= 0) || !Number.isFinite(s.lr)) fail(op, `lr must be ≥ 0, got ${s.lr}`);
    if (!(s.beta1 >= 0 && s.beta1 < 1)) fail(op, `beta1 must be in [0,1), got ${s.beta1}`);
    if (!(s.beta2 >= 0 && s.beta2 < 1)) fail(op, `beta2 must be in [0,1), got ${s.beta2}`);
    if (!(s.eps > 0) || !Number.isFinite(s.eps)) fail(op, `eps must be > 0, got ${s.eps}`);
    if (!(s.weightDecay >= 0) || !Number.isFinite(s.weightDecay)) {
      fail(op, `weightDecay must be ≥ 0, got ${s.weightDecay}`);
    }
    positiveInt(op, 'step', s.step);
    return d;
  },

  clipByNorm(grads, norm, maxNorm): { n: number } {
    const op = 'clipByNorm';
    check(op, 'grads', grads, 'f32');
    check(op, 'norm', norm, 'f32');
    sized(op, 'norm', norm, 1, 'a scalar norm');
    if (!(maxNorm > 0) || !Number.isFinite(maxNorm))
      fail(op, `maxNorm must be > 0, got ${maxNorm}`);
    return { n: grads.size };
  },

  // ---- reinforcement-learning reductions ----
  groupNormalize(
    adv,
    rewards,
    G,
    eps = GROUP_NORMALIZE_EPS,
  ): { N: number; G: number; eps: number } {
    const op = 'groupNormalize';
    const { n: N } = elementwise(op, ['adv', 'rewards'], [adv, rewards]);
    positiveInt(op, 'G', G);
    if (N % G !== 0) fail(op, `group size G=${G} does not divide ${describe('rewards', rewards)}`);
    if (!(eps > 0) || !Number.isFinite(eps)) fail(op, `eps must be > 0, got ${eps}`);
    return { N, G, eps };
  },

  discountedSum(out, rewards, gamma): { B: number; H: number } {
    const op = 'discountedSum';
    const d = rows(op, 'rewards', rewards);
    check(op, 'out', out, 'f32');
    sized(op, 'out', out, d.R, `the rows of rewards ${shapeString(rewards.shape)}`);
    if (!(gamma >= 0 && gamma <= 1)) fail(op, `gamma must be in [0,1], got ${gamma}`);
    return { B: d.R, H: d.C };
  },

  maskedMean(out, x, mask): SeqDims {
    return maskedDims('maskedMean', 'out', out, 'x', x, mask);
  },

  maskedMeanBackward(dx, dout, mask): SeqDims {
    return maskedDims('maskedMeanBackward', 'dout', dout, 'dx', dx, mask);
  },

  // ---- decoding and the GRPO token loss ----
  writeRow(dst, src, pos): WriteRowDims {
    const op = 'writeRow';
    check(op, 'dst', dst, dst?.dtype);
    check(op, 'src', src, dst.dtype);
    if (dst.shape.length !== 3) fail(op, `${describe('dst', dst)} must be 3-D (B,T,W)`);
    const [B, T, W] = dst.shape;
    rowsOf(op, 'src', src, B, W, `dst ${shapeString(dst.shape)}`);
    position(op, pos, T);
    return { B, T, W, pos };
  },

  attentionStep(out, qkv, pos, prefixLen, shape): AttentionStepDims {
    const op = 'attentionStep';
    const d = attentionShape(op, shape);
    const { B, T, C } = d;
    const tag = `B=${B} T=${T} NH=${d.NH} HS=${d.HS}`;
    check(op, 'qkv', qkv, 'f32');
    check(op, 'out', out, 'f32');
    if (lastDim(qkv) !== 3 * C || qkv.size !== B * T * 3 * C) {
      fail(op, `${describe('qkv', qkv)} must be (${B},${T},${3 * C}) for ${tag}`);
    }
    rowsOf(op, 'out', out, B, C, tag);
    if (prefixLen !== null) {
      check(op, 'prefixLen', prefixLen, 'i32');
      sized(op, 'prefixLen', prefixLen, B, `B=${B}`);
    }
    position(op, pos, T);
    return { ...d, pos };
  },

  sampleTokens(ids, logp, logits, uniforms, temperature, topP): SampleDims {
    const op = 'sampleTokens';
    const { R: B, C: V } = rows(op, 'logits', logits);
    check(op, 'ids', ids, 'i32');
    check(op, 'logp', logp, 'f32');
    check(op, 'uniforms', uniforms, 'f32');
    const ref = `the rows of ${describe('logits', logits)}`;
    sized(op, 'ids', ids, B, ref);
    sized(op, 'logp', logp, B, ref);
    sized(op, 'uniforms', uniforms, B, ref);
    if (!(temperature >= 0) || !Number.isFinite(temperature)) {
      fail(op, `temperature must be ≥ 0 (0 = greedy), got ${temperature}`);
    }
    if (!(topP > 0 && topP <= 1)) fail(op, `topP must be in (0,1], got ${topP}`);
    return { B, V, temperature, topP };
  },

  grpoTokenLoss(loss, dlogp, tokens, s): GrpoLossDims {
    const op = 'grpoTokenLoss';
    const { logp, logpOld, logpRef, adv, mask } = tokens;
    const roles = ['logp', 'loss', 'dlogp', 'logpOld', 'logpRef', 'adv', 'mask'];
    const { n: N } = elementwise(op, roles, [logp, loss, dlogp, logpOld, logpRef, adv, mask]);
    const { clipEps, beta, normaliser } = s;
    clipRange(op, clipEps);
    if (!(beta >= 0) || !Number.isFinite(beta)) fail(op, `beta must be ≥ 0, got ${beta}`);
    if (!(normaliser > 0) || !Number.isFinite(normaliser)) {
      fail(op, `normaliser must be > 0, got ${normaliser}`);
    }
    return { N, clipEps, beta, normaliser };
  },

  grpoTokenStats(kl, clipped, tokens, clipEps): { N: number; clipEps: number } {
    const op = 'grpoTokenStats';
    const { logp, logpOld, logpRef, adv, mask } = tokens;
    const roles = ['logp', 'kl', 'clipped', 'logpOld', 'logpRef', 'adv', 'mask'];
    const { n: N } = elementwise(op, roles, [logp, kl, clipped, logpOld, logpRef, adv, mask]);
    clipRange(op, clipEps);
    return { N, clipEps };
  },
} satisfies OpChecks;

/** The dimensions op K's check returns and its kernels receive. */
export type OpDims<K extends OpName> = ReturnType<(typeof validate)[K]>;

export interface WriteRowDims {
  B: number;
  T: number;
  /** Row width (3C when dst is the qkv buffer). */
  W: number;
  pos: number;
}
export interface AttentionStepDims extends AttentionDims {
  pos: number;
}
export interface SampleDims {
  B: number;
  V: number;
  temperature: number;
  topP: number;
}
export interface GrpoLossDims {
  N: number;
  clipEps: number;
  beta: number;
  normaliser: number;
}

/** A sequence position inside T. */
function position(op: string, pos: number, T: number): void {
  if (!Number.isInteger(pos) || pos < 0 || pos >= T) {
    fail(op, `pos must be an integer in [0,${T}), got ${pos}`);
  }
}

function clipRange(op: string, clipEps: number): void {
  if (!(clipEps >= 0 && clipEps < 1)) fail(op, `clipEps must be in [0,1), got ${clipEps}`);
}

/** Row-wise ops whose tensors all share the first one's (R,C) layout. */
function rowPair(op: string, roles: string[], ts: Tensor[]): RowDims {
  const d = rows(op, roles[0], ts[0]);
  for (let i = 1; i < ts.length; i++) {
    check(op, roles[i], ts[i], 'f32');
    rowsOf(op, roles[i], ts[i], d.R, d.C, `${roles[0]} ${shapeString(ts[0].shape)}`);
  }
  return d;
}

function embeddingDims(
  op: string,
  rowsRole: string,
  rowsT: Tensor,
  ids: Tensor,
  tableRole: string,
  table: Tensor,
): EmbeddingDims {
  check(op, tableRole, table, 'f32');
  check(op, rowsRole, rowsT, 'f32');
  check(op, 'ids', ids, 'i32');
  if (table.shape.length !== 2) fail(op, `${describe(tableRole, table)} must be 2-D (V,C)`);
  const [V, C] = table.shape;
  const N = ids.size;
  if (lastDim(rowsT) !== C || rowsT.size !== N * C) {
    fail(
      op,
      `${describe(rowsRole, rowsT)} must be (${N},${C}) for ${describe('ids', ids)} and ${describe(tableRole, table)}`,
    );
  }
  return { N, V, C };
}

function gatherDims(
  op: string,
  tableRole: string,
  table: Tensor,
  perRowRole: string,
  perRow: Tensor,
  ids: Tensor,
  idsRole = 'ids',
): TokenDims {
  const { R: N, C: V } = rows(op, tableRole, table);
  check(op, perRowRole, perRow, 'f32');
  check(op, idsRole, ids, 'i32');
  const ref = `the rows of ${describe(tableRole, table)}`;
  sized(op, idsRole, ids, N, ref);
  sized(op, perRowRole, perRow, N, ref);
  return { N, V };
}

function maskedDims(
  op: string,
  outRole: string,
  out: Tensor,
  xRole: string,
  x: Tensor,
  mask: Tensor,
): SeqDims {
  const { R: B, C: T } = rows(op, xRole, x);
  check(op, 'mask', mask, 'f32');
  check(op, outRole, out, 'f32');
  rowsOf(op, 'mask', mask, B, T, `${describe(xRole, x)}`);
  sized(op, outRole, out, B, `the rows of ${describe(xRole, x)}`);
  return { B, T };
}
