// The trainer worker: a module worker that owns the backend (WebGPU when the worker gets a
// device, else the CPU reference), the planner, the training loop and the environments. The
// API is assembled from one object per concern (training here; others add theirs beside it),
// all sharing the worker's state in trainer/context.ts. Only plain data and transferred
// buffers cross; progress flows back through the TrainerEvents proxy given to connect().
import { expose } from 'comlink';
import { inspectApi } from './trainer/inspect-api';
import { trainingApi } from './trainer/training-api';

const api = {
  ...trainingApi,
  ...inspectApi,
};

expose(api);
export type TrainerApi = typeof api;
