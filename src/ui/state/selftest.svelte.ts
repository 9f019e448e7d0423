// The kernel self-test as the page sees it. This class owns the worker: it asks for the
// adapter report, starts the run, and appends the streamed results a few at a time (replacing
// the array, so `$state.raw` stays cheap). Components only read these fields and call `start()`.
import { proxy, wrap, type Remote } from 'comlink';
import type { CaseResult } from '../../kernels/selftest';
import type { SelfTestApi } from '../../workers/selftest.worker';
import { adapterLabel, type GpuReport } from '../../workers/gpu-report';

export type SelfTestStatus = 'idle' | 'probing' | 'running' | 'passed' | 'failed';

/**
 * Streamed results are shown together at most this often: a table re-laid out per result (a
 * case lands every few tens of milliseconds) keeps the page's main thread busy for the whole
 * run, while the worker and the GPU need the same cores.
 */
export const SHOW_RESULTS_EVERY_MS = 500;

export class SelfTestState {
  status = $state<SelfTestStatus>('idle');
  gpu = $state.raw<GpuReport | null>(null);
  backend = $state<'webgpu' | 'cpu' | null>(null);
  matmulVariant = $state<string | null>(null);
  results = $state.raw<CaseResult[]>([]);
  /** Cases the run will report, known before the first result arrives. */
  expected = $state(0);
  /** A failure of the run itself (worker crashed, import failed), not of a case. */
  error = $state<string | null>(null);

  passed = $derived(this.results.filter((r) => r.passed).length);
  failures = $derived(this.results.filter((r) => !r.passed));
  finished = $derived(this.status === 'passed' || this.status === 'failed');
  label = $derived(this.gpu ? adapterLabel(this.gpu) : '');

  #worker: Worker | null = null;
  #api: Remote<SelfTestApi> | null = null;
  /** Results streamed in since the page last showed them. */
  #unshown: CaseResult[] = [];
  #showTimer: ReturnType<typeof setTimeout> | null = null;

  async start(): Promise<void> {
    if (this.status === 'probing' || this.status === 'running') return;
    this.#dropUnshown();
    this.results = [];
    this.error = null;
    this.matmulVariant = null;
    this.status = 'probing';
    try {
      const api = this.#connect();
      this.expected = await api.caseCount();
      this.gpu = await api.probe();
      this.backend = this.gpu.available ? 'webgpu' : 'cpu';
      this.status = 'running';
      const outcome = await api.run(proxy((r: CaseResult) => this.#received(r)));
      this.#dropUnshown();
      this.backend = outcome.backend;
      this.matmulVariant = outcome.matmulVariant ?? null;
      this.results = outcome.results;
      // No cases at all is a failure too: a self-test that checked nothing proves nothing.
      const allPassed = outcome.results.length > 0 && outcome.results.every((r) => r.passed);
      if (outcome.results.length === 0) this.error = 'No op cases were found.';
      this.status = allPassed ? 'passed' : 'failed';
    } catch (e) {
      this.#showUnshown();
      this.error = e instanceof Error ? e.message : String(e);
      this.status = 'failed';
      this.#disconnect();
    }
  }

  dispose(): void {
    this.#dropUnshown();
    this.#disconnect();
  }

  #received(result: CaseResult): void {
    this.#unshown.push(result);
    this.#showTimer ??= setTimeout(() => this.#showUnshown(), SHOW_RESULTS_EVERY_MS);
  }

  /** Append the results not shown yet (replacing the array keeps `$state.raw` cheap). */
  #showUnshown(): void {
    const unshown = this.#unshown;
    this.#dropUnshown();
    if (unshown.length > 0) this.results = [...this.results, ...unshown];
  }

  /** Forget the results not shown yet (the run's outcome lists them all). */
  #dropUnshown(): void {
    if (this.#showTimer !== null) clearTimeout(this.#showTimer);
    this.#showTimer = null;
    this.#unshown = [];
  }

  #connect(): Remote<SelfTestApi> {
    if (this.#api) return this.#api;
    // Vite bundles the worker only from this literal `new URL(..., import.meta.url)` form.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const worker = new Worker(new URL('../../workers/selftest.worker.ts', import.meta.url), {
      type: 'module',
      name: 'selftest',
    });
    // A worker that fails to load never answers comlink; surface that instead of hanging.
    worker.addEventListener('error', (ev) => {
      this.error = ev.message || 'The self-test worker failed to start.';
      this.status = 'failed';
      this.#disconnect();
    });
    this.#worker = worker;
    this.#api = wrap<SelfTestApi>(worker);
    return this.#api;
  }

  #disconnect(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
  }
}
