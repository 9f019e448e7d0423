// Array types for the CPU reference math. Every op is a free function over plain arrays so
// the same code runs in f64 (finite-difference gradient tests) and in f32 (CpuBackend).
// Sums are accumulated in JS numbers, i.e. f64, whatever the storage type.

/** Read-only input: Float32Array, Float64Array, Int32Array or number[]. */
export type In = ArrayLike<number>;
/** Writable output: f32 inside CpuBackend, f64 in the gradient tests. */
export type Out = Float32Array | Float64Array;
