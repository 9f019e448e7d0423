// The page's handle on the inspect worker, shared by the Agent viewer and the GRPO explainer
// (one worker per page, kept warm when switching views). It says which weights are inspected
// and lets the person switch between the shipped stage-0 checkpoint and the latest checkpoint
// of a stored run (the trainer stores one at every checkpoint of the current run). The Agent
// viewer can also export those weights as a planner ONNX file and play with an imported one.
import { proxy, wrap, transfer, type Remote } from 'comlink';
import type { InspectApi } from '../../workers/inspect.worker';
import type {
  AgentRequest,
  AgentResult,
  ExplainRequest,
  ExplainResult,
  WeightsInfo,
} from '../../workers/inspect/types';
import { openRunStore } from '../runs/open';
import { downloadBytes } from '../runs/transfer';
import { waitFor, type Wait } from '../state/wait';
import type { RunRecord } from '../runs/db';

export type ClientStatus = 'idle' | 'loading' | 'ready' | 'failed';

export class InspectClient {
  status = $state<ClientStatus>('idle');
  weights = $state.raw<WeightsInfo | null>(null);
  /** The imported ONNX planner that plays the Agent viewer's episodes; null when none. */
  onnx = $state.raw<WeightsInfo | null>(null);
  /** What plays the Agent viewer's episodes. */
  readonly player = $derived(this.onnx ?? this.weights);
  /** An export or import in progress, for the buttons and the progress line. */
  transferring = $state<string | null>(null);
  /** Stored runs that have a checkpoint to inspect, newest first. */
  runs = $state.raw<RunRecord[]>([]);
  /** The run whose checkpoint is inspected; '' for the shipped checkpoint. */
  runId = $state('');
  error = $state<string | null>(null);
  /** Loading progress while the worker starts (backend, weights, grounder); null after. */
  loading = $state.raw<Wait | null>(null);

  #ready: Promise<Remote<InspectApi>> | null = null;

  /** Starts the worker once; resolves when the weights are loaded. */
  connect(): Promise<Remote<InspectApi>> {
    this.#ready ??= (async () => {
      this.status = 'loading';
      this.loading = waitFor('Starting the planner worker');
      const since = this.loading.since;
      // Vite bundles the worker only from this literal `new URL(..., import.meta.url)` form.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const worker = new Worker(new URL('../../workers/inspect.worker.ts', import.meta.url), {
        type: 'module',
        name: 'inspect',
      });
      worker.addEventListener('error', (ev) => {
        this.error = ev.message || 'The inspect worker failed to start.';
        this.status = 'failed';
      });
      const api = wrap<InspectApi>(worker);
      try {
        this.weights = await api.init(
          location.href,
          proxy((label: string, step: number, steps: number) => {
            this.loading = { label, step, steps, since };
          }),
        );
        this.status = 'ready';
      } catch (e) {
        this.error = e instanceof Error ? e.message : String(e);
        this.status = 'failed';
        throw e;
      } finally {
        this.loading = null;
      }
      void this.refreshRuns();
      return api;
    })();
    return this.#ready;
  }

  async refreshRuns(): Promise<void> {
    try {
      const { store } = await openRunStore();
      const all = await store.listRuns();
      this.runs = all.filter((r) => r.checkpointBytes > 0).sort((a, b) => b.created - a.created);
    } catch {
      this.runs = [];
    }
  }

  /** '' = the shipped checkpoint; else a stored run's latest checkpoint. */
  async useWeights(runId: string): Promise<void> {
    const api = await this.connect();
    this.error = null;
    try {
      if (runId === '') {
        this.weights = await api.useShipped();
      } else {
        const { store } = await openRunStore();
        const ckpt = await store.latestCheckpoint(runId);
        if (!ckpt) throw new Error('this run has no checkpoint yet');
        const run = this.runs.find((r) => r.id === runId);
        const label = `run '${run?.name ?? runId}', stage ${ckpt.stage} update ${ckpt.update}`;
        const bytes = ckpt.data.slice(0);
        this.weights = await api.useCheckpoint(transfer(bytes, [bytes]), label);
      }
      this.runId = runId;
      this.onnx = null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  /** Checks `file` as a planner ONNX file and plays episodes with it; refusals go to `error`. */
  async useOnnx(file: File): Promise<boolean> {
    const api = await this.connect();
    this.error = null;
    this.transferring = `Checking and loading ${file.name}`;
    try {
      const bytes = await file.arrayBuffer();
      this.onnx = await api.useOnnxPlanner(transfer(bytes, [bytes]), file.name);
      return true;
    } catch (e) {
      this.error = `${e instanceof Error ? e.message : String(e)}. The planner in use is unchanged.`;
      return false;
    } finally {
      this.transferring = null;
    }
  }

  /** Downloads the inspected checkpoint weights as a planner ONNX file. */
  async exportOnnx(): Promise<void> {
    const api = await this.connect();
    this.error = null;
    this.transferring = 'Exporting the planner as ONNX';
    try {
      const bytes = await api.exportOnnx();
      const name = (this.weights?.label ?? 'planner').replace(/[^a-z0-9]+/gi, '-');
      downloadBytes(bytes, `tracelab-${name.replace(/^-|-$/g, '').toLowerCase()}.onnx`);
    } catch (e) {
      this.error = `ONNX export failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.transferring = null;
    }
  }

  async agent(req: AgentRequest): Promise<AgentResult> {
    return (await this.connect()).inspectAgent(req);
  }

  async group(req: ExplainRequest): Promise<ExplainResult> {
    return (await this.connect()).inspectGroup(req);
  }
}

let shared: InspectClient | null = null;

/** The page's one client (created on first use). */
export function inspectClient(): InspectClient {
  shared ??= new InspectClient();
  return shared;
}
