// Embedding lookup and its gradient (src/kernels/cpu/embedding.ts). Ids are range-checked in
// JS before the call. The backward adds f32 to f32 in row order, which is what the reference's
// f64 add rounded to f32 gives, so both are bit-identical to it.

/** out(N,C) = table(V,C)[ids[n]]. */
export function embeddingForward(out: usize, ids: usize, table: usize, N: i32, C: i32): void {
  const row = (<usize>C) << 2;
  for (let n = 0; n < N; n++) {
    const id = load<i32>(ids + ((<usize>n) << 2));
    memory.copy(out + <usize>n * row, table + <usize>id * row, row);
  }
}

/** dtable[ids[n]] += dout(n), in order of n (deterministic). Accumulates. */
export function embeddingBackward(dtable: usize, dout: usize, ids: usize, N: i32, C: i32): void {
  const row = (<usize>C) << 2;
  for (let n = 0; n < N; n++) {
    const id = load<i32>(ids + ((<usize>n) << 2));
    const d = dtable + <usize>id * row;
    const g = dout + <usize>n * row;
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = (<usize>c) << 2;
      v128.store(d + o, f32x4.add(v128.load(d + o), v128.load(g + o)));
    }
    for (; c < C; c++) {
      const o = (<usize>c) << 2;
      store<f32>(d + o, load<f32>(d + o) + load<f32>(g + o));
    }
  }
}

/** out(N) = logp(N,V)[n, ids[n]], 0 where ids[n] < 0. */
export function gatherRowsForward(out: usize, logp: usize, ids: usize, N: i32, V: i32): void {
  for (let n = 0; n < N; n++) {
    const id = load<i32>(ids + ((<usize>n) << 2));
    const v: f32 = id < 0 ? 0 : load<f32>(logp + ((<usize>(n * V + id)) << 2));
    store<f32>(out + ((<usize>n) << 2), v);
  }
}

/** dlogp(n, ids[n]) += dout(n); nothing for a negative id. Accumulates. */
export function gatherRowsBackward(dlogp: usize, dout: usize, ids: usize, N: i32, V: i32): void {
  for (let n = 0; n < N; n++) {
    const id = load<i32>(ids + ((<usize>n) << 2));
    if (id < 0) continue;
    const d = dlogp + ((<usize>(n * V + id)) << 2);
    store<f32>(d, load<f32>(d) + load<f32>(dout + ((<usize>n) << 2)));
  }
}
