// Matmul, variant "tiled": classic workgroup-memory tiling, what discrete GPUs like.
//   out[b](M,N) = op(a[b])(M,K) · op(b[b])(K,N)        (ACCUMULATE: out += instead of =)
// A workgroup of TILE×TILE invocations computes a BM×BM block of out (BM = TILE·WPT); each
// invocation owns WPT×WPT outputs strided by TILE. K is walked in steps of TILE: both operand
// tiles are staged in workgroup memory, loaded so that neighbouring invocations read
// neighbouring addresses whichever way the operand is stored.
//
// Bindings (all f32, row-major):
//   p    uniform Params {M, N, K, bStride}; bStride = K·N when b is batched, 0 when shared
//   out  (batch, M, N)        written (or accumulated)
//   a    (batch, M, K), or (batch, K, M) when TRANS_A
//   b    (batch?, K, N), or (batch?, N, K) when TRANS_B
// Grid: (ceil(N / BM), ceil(M / BM), batch), workgroup (TILE, TILE).
// Out-of-range loads read 0, stores are guarded: any M, N, K works. WPT ≤ 4.

struct Params {
  M: u32,
  N: u32,
  K: u32,
  bStride: u32,
}

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override ACCUMULATE: bool = false;
override TILE: u32 = 16;
override WPT: u32 = 4;
override BM: u32 = TILE * WPT;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> a: array<f32>;
@group(0) @binding(3) var<storage, read_write> b: array<f32>;

// aTile[kk·BM + mm] = a(m0 + mm, k0 + kk); bTile[kk·BM + nn] = b(k0 + kk, n0 + nn)
var<workgroup> aTile: array<f32, TILE * TILE * WPT>;
var<workgroup> bTile: array<f32, TILE * TILE * WPT>;

fn loadA(aOffset: u32, m: u32, k: u32) -> f32 {
  if (m >= p.M || k >= p.K) {
    return 0.0;
  }
  return a[select(aOffset + m * p.K + k, aOffset + k * p.M + m, TRANS_A)];
}

fn loadB(bOffset: u32, k: u32, n: u32) -> f32 {
  if (k >= p.K || n >= p.N) {
    return 0.0;
  }
  return b[select(bOffset + k * p.N + n, bOffset + n * p.K + k, TRANS_B)];
}

@compute @workgroup_size(TILE, TILE)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
) {
  let M = p.M;
  let N = p.N;
  let K = p.K;
  let batch = wid.z;
  let aOffset = batch * M * K;
  let bOffset = batch * p.bStride;
  let m0 = wid.y * BM;
  let n0 = wid.x * BM;
  let tx = lid.x;
  let ty = lid.y;

  var acc: array<array<f32, 4>, 4>;
  for (var k0 = 0u; k0 < K; k0 += TILE) {
    for (var l = 0u; l < WPT; l++) {
      // a stored (M,K): neighbours (tx) walk k; stored (K,M): they walk m. Same for b.
      let akk = select(tx, ty, TRANS_A);
      let amm = select(ty, tx, TRANS_A) + l * TILE;
      aTile[akk * BM + amm] = loadA(aOffset, m0 + amm, k0 + akk);
      let bkk = select(ty, tx, TRANS_B);
      let bnn = select(tx, ty, TRANS_B) + l * TILE;
      bTile[bkk * BM + bnn] = loadB(bOffset, k0 + bkk, n0 + bnn);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE; kk++) {
      var bv: array<f32, 4>;
      for (var j = 0u; j < WPT; j++) {
        bv[j] = bTile[kk * BM + tx + j * TILE];
      }
      for (var i = 0u; i < WPT; i++) {
        let av = aTile[kk * BM + ty + i * TILE];
        for (var j = 0u; j < WPT; j++) {
          acc[i][j] = fma(av, bv[j], acc[i][j]);
        }
      }
    }
    workgroupBarrier();
  }

  let outOffset = batch * M * N;
  for (var i = 0u; i < WPT; i++) {
    let m = m0 + ty + i * TILE;
    for (var j = 0u; j < WPT; j++) {
      let n = n0 + tx + j * TILE;
      if (m < M && n < N) {
        let o = outOffset + m * N + n;
        if (ACCUMULATE) {
          out[o] += acc[i][j];
        } else {
          out[o] = acc[i][j];
        }
      }
    }
  }
}
