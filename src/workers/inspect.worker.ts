// The inspect worker behind the Agent viewer and the GRPO explainer. It owns its own backend
// (WebGPU on a hardware GPU, else wasm) and a set of planner weights:
// the shipped stage-0 checkpoint, a stored run's checkpoint the page hands over, or — when
// neither exists — a seeded random planner, which the page labels as untrained. Clicks go
// through the frozen ONNX grounder; if it cannot load, through the labelled text-match stand-in.
import { expose, transfer } from 'comlink';
import { plannerConfigOf, settingsPreset } from '../rl/config/schema';
import { captureCheckpoint, decodeStoredCheckpoint } from '../rl/model/checkpoint';
import { DEFAULT_OPTIMIZER, Planner } from '../rl/model/planner';
import { textMatchGrounder } from '../rl/inspect';
import { Rng } from '../rng';
import { inspectMethods } from './inspect/methods';
import { loadOnnxGrounder } from './inspect/onnx-grounder';
import { workerOrt } from './inspect/ort';
import { InspectService } from './inspect/service';
import type { WeightsInfo } from './inspect/types';
import { fetchShippedStage0, fetchVocab } from './trainer/assets';
import { acquireInferenceBackend } from './trainer/backend';

type Source = Omit<WeightsInfo, 'horizon' | 'params' | 'backend'>;

let service: Promise<InspectService> | null = null;
let base = '';

/** Told each loading phase (what, step of steps), so the page can show progress. */
export type LoadProgress = (label: string, step: number, steps: number) => void;
let progress: LoadProgress = () => {};
const LOAD_STEPS = 3;

async function shippedOrRandom(s: InspectService | null, be: InspectService['be'], base: string) {
  const vocab = s?.vocab ?? (await fetchVocab(base));
  const shipped = await fetchShippedStage0(base);
  if (shipped.available && shipped.state.vocab.fingerprint() === vocab.fingerprint()) {
    const source: Source = { kind: 'shipped', label: 'shipped stage-0 checkpoint', note: null };
    return { vocab, weights: shipped.state, source };
  }
  const why = shipped.available
    ? 'the shipped checkpoint has another vocabulary'
    : `no shipped stage-0 checkpoint (${shipped.reason})`;
  // The quick-demo shape, so what is shown resembles what the Train page starts with.
  const planner = new Planner(be, plannerConfigOf(settingsPreset('quick-demo')), vocab.size, 1);
  planner.init(new Rng(1));
  const weights = await captureCheckpoint(planner, vocab, DEFAULT_OPTIMIZER);
  planner.release();
  const source: Source = {
    kind: 'random',
    label: 'untrained planner (random weights)',
    note: `${why}: showing a randomly initialised planner, so its forecasts are noise`,
  };
  return { vocab, weights, source };
}

function load(): Promise<InspectService> {
  service ??= (async () => {
    progress('Starting the compute backend', 0, LOAD_STEPS);
    const { be } = await acquireInferenceBackend();
    progress('Loading the vocabulary and the planner weights', 1, LOAD_STEPS);
    const { vocab, weights, source } = await shippedOrRandom(null, be, base);
    const service = new InspectService(be, vocab, weights, source);
    progress('Loading the frozen grounder (onnxruntime)', 2, LOAD_STEPS);
    try {
      const { grounder, name } = await loadOnnxGrounder(base);
      service.setGrounder(grounder, name);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      service.setGrounder(
        textMatchGrounder,
        `stand-in: text match (the frozen grounder did not load: ${why})`,
      );
    }
    return service;
  })();
  return service;
}

const api = {
  /** The page's address: the site's files are fetched relative to it. */
  async init(pageUrl: string, onProgress?: LoadProgress): Promise<WeightsInfo> {
    base = pageUrl;
    if (onProgress) progress = onProgress;
    try {
      return (await load()).weights;
    } finally {
      progress = () => {};
    }
  },
  /** Inspect a stored run's checkpoint (bytes of the checkpoint file). */
  async useCheckpoint(bytes: ArrayBuffer, label: string): Promise<WeightsInfo> {
    const s = await load();
    s.setWeights(decodeStoredCheckpoint(bytes), { kind: 'run', label, note: null });
    return s.weights;
  },
  /** Back to the shipped stage-0 checkpoint (or the random planner when there is none). */
  async useShipped(): Promise<WeightsInfo> {
    const s = await load();
    const { weights, source } = await shippedOrRandom(s, s.be, base);
    s.setWeights(weights, source);
    return s.weights;
  },
  /**
   * Play episodes with an imported planner ONNX file (checked first: a file that is not a
   * TraceLab planner of this vocabulary is refused, naming why, and nothing changes).
   */
  async useOnnxPlanner(bytes: ArrayBuffer, fileName: string): Promise<WeightsInfo> {
    const s = await load();
    const { openOnnxPlanner } = await import('../rl/onnx/planner-onnx-session');
    const planner = await openOnnxPlanner(workerOrt(), new Uint8Array(bytes), s.vocab, fileName);
    return s.setOnnxPlanner(planner, `ONNX planner “${fileName}” (onnxruntime-web)`);
  },
  /** The checkpoint weights (not an imported ONNX planner) as a planner ONNX file. */
  async exportOnnx(): Promise<Uint8Array> {
    const s = await load();
    // Loaded on first use: the exporter brings the ONNX protobuf schema with it.
    const { exportPlannerOnnx } = await import('../rl/onnx/planner-onnx');
    const bytes = exportPlannerOnnx(s.checkpoint);
    return transfer(bytes, [bytes.buffer]);
  },
  ...inspectMethods(load),
};

expose(api);
export type InspectApi = typeof api;
