// Whole-tensor fills and copies, and the decode step's cache write (src/kernels/cpu/decode.ts):
// plain memory operations, so the bytes are the reference's exactly.

/** bytes zero bytes at p. */
export function zeroBytes(p: usize, bytes: usize): void {
  memory.fill(p, 0, bytes);
}

/** bytes bytes from src to dst (the regions may overlap). */
export function copyBytes(dst: usize, src: usize, bytes: usize): void {
  memory.copy(dst, src, bytes);
}

/** dst(B,T,W)[b, pos, :] = src(B,W)[b, :] (4-byte elements). */
export function writeRow(dst: usize, src: usize, B: i32, T: i32, W: i32, pos: i32): void {
  const row = (<usize>W) << 2;
  for (let b = 0; b < B; b++) {
    memory.copy(dst + <usize>(b * T + pos) * row, src + <usize>b * row, row);
  }
}
