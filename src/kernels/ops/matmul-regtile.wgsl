// Matmul, variant "regtile": register-tiled, no workgroup memory.
//   out[b](M,N) = op(a[b])(M,K) · op(b[b])(K,N)        (ACCUMULATE: out += instead of =)
// Each invocation computes a 4×4 block of out in four vec4 accumulators, reading a and b
// straight from storage. Software rasterisers (SwiftShader) run this far faster than the
// workgroup-memory kernel: barriers are expensive there and caches do the tiling for free.
//
// Bindings (all f32, row-major):
//   p    uniform Params {M, N, K, bStride}; bStride = K·N when b is batched, 0 when shared
//   out  (batch, M, N)        written (or accumulated)
//   a    (batch, M, K), or (batch, K, M) when TRANS_A
//   b    (batch?, K, N), or (batch?, N, K) when TRANS_B
// Grid: (ceil(N / (4·WG_X)), ceil(M / (4·WG_Y)), batch), workgroup (WG_X, WG_Y).
// Sizes need not be multiples of anything: loads clamp to the last row/column, stores are
// guarded.

struct Params {
  M: u32,
  N: u32,
  K: u32,
  bStride: u32,
}

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override ACCUMULATE: bool = false;
override WG_X: u32 = 8;
override WG_Y: u32 = 8;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> a: array<f32>;
@group(0) @binding(3) var<storage, read_write> b: array<f32>;

@compute @workgroup_size(WG_X, WG_Y)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let M = p.M;
  let N = p.N;
  let K = p.K;
  let batch = gid.z;
  let row0 = gid.y * 4u;
  let col0 = gid.x * 4u;
  if (row0 >= M || col0 >= N) {
    return;
  }

  // a(m, k) = a[aBase[m] + k·aStep], b(k, n) = b[bBase[n] + k·bStep], whatever the transposes.
  let aOffset = batch * M * K;
  let bOffset = batch * p.bStride;
  var aBase: vec4u;
  var bBase: vec4u;
  for (var i = 0u; i < 4u; i++) {
    let m = min(row0 + i, M - 1u);
    let n = min(col0 + i, N - 1u);
    aBase[i] = select(aOffset + m * K, aOffset + m, TRANS_A);
    bBase[i] = select(bOffset + n, bOffset + n * K, TRANS_B);
  }
  let aStep = select(1u, M, TRANS_A);
  let bStep = select(N, 1u, TRANS_B);

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k = 0u; k < K; k++) {
    let ak = k * aStep;
    let bk = k * bStep;
    let bv = vec4f(b[bBase.x + bk], b[bBase.y + bk], b[bBase.z + bk], b[bBase.w + bk]);
    acc0 = fma(vec4f(a[aBase.x + ak]), bv, acc0);
    acc1 = fma(vec4f(a[aBase.y + ak]), bv, acc1);
    acc2 = fma(vec4f(a[aBase.z + ak]), bv, acc2);
    acc3 = fma(vec4f(a[aBase.w + ak]), bv, acc3);
  }

  let outOffset = batch * M * N;
  store(outOffset, row0, col0, acc0, M, N);
  store(outOffset, row0 + 1u, col0, acc1, M, N);
  store(outOffset, row0 + 2u, col0, acc2, M, N);
  store(outOffset, row0 + 3u, col0, acc3, M, N);
}

fn store(outOffset: u32, row: u32, col0: u32, v: vec4f, M: u32, N: u32) {
  if (row >= M) {
    return;
  }
  let base = outOffset + row * N + col0;
  for (var j = 0u; j < 4u; j++) {
    if (col0 + j < N) {
      if (ACCUMULATE) {
        out[base + j] += v[j];
      } else {
        out[base + j] = v[j];
      }
    }
  }
}
