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
