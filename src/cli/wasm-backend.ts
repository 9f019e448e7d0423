// The wasm backend as the command line runs it: one thread per core this process may use
// (taskset narrows it), at most four, beyond which the planner's ops stop gaining.
import { availableParallelism } from 'node:os';
import { WasmBackend } from '../kernels/wasm';

export function commandLineWasmBackend(): Promise<WasmBackend> {
  return WasmBackend.create({ threads: Math.min(4, availableParallelism()) });
}
