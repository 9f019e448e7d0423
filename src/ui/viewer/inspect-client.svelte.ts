// The page's handle on the inspect worker, shared by the Agent viewer and the GRPO explainer
// (one worker per page, kept warm when switching views). It says which weights are inspected
// and lets the person switch between the shipped stage-0 checkpoint and the latest checkpoint
// of a stored run (the trainer stores one at every checkpoint of the current run).
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
import { waitFor, type Wait } from '../state/wait';
import type { RunRecord } from '../runs/db';

export type ClientStatus = 'idle' | 'loading' | 'ready' | 'failed';

export class InspectClient {
  status = $state<ClientStatus>('idle');
  weights = $state.raw<WeightsInfo | null>(null);
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
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
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
