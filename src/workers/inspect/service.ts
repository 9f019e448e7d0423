// The worker half of the agent viewer and the GRPO explainer: given a backend, the vocabulary
// and a set of planner weights, it plays recorded episodes (src/rl/inspect/receding.ts) and
// explains one GRPO update (src/rl/inspect/explain.ts). Planners are built lazily per batch
// size (1 for episodes, G for a group) and loaded with the current weights; explaining puts
// the weights back, so requests never change each other's answers. An imported ONNX planner,
// when one is set, plays the episodes instead (the explainer needs trainable weights and keeps
// the checkpoint's).
//
// No comlink and no DOM: methods.ts exposes it from any worker, tests drive it in Node.
import type { Backend } from '../../kernels/backend';
import { getTemplate } from '../../envs/registry';
import { render } from '../../envs/render/render';
import { walkOracleEpisode } from '../../rl/data/episodes';
import {
  explainGroup,
  plannerForecaster,
  runAgentEpisode,
  textMatchGrounder,
  type AgentTrace,
  type Grounder,
  type GroupExplanation,
} from '../../rl/inspect';
import { referencePlan, planText } from '../../rl/lang/action-language';
import type { Vocab } from '../../text/vocab';
import { restoreCheckpoint, type CheckpointState } from '../../rl/model/checkpoint';
import { encodePrompt } from '../../rl/model/encode';
import { onnxForecaster } from '../../rl/onnx/planner-onnx-forecaster';
import type { OnnxPlanner } from '../../rl/onnx/planner-onnx-session';
import { DEFAULT_OPTIMIZER, Planner } from '../../rl/model/planner';
import { rewardSettings } from '../../rl/reward/settings';
import { hashString, Rng } from '../../rng';
import type {
  AgentRequest,
  AgentResult,
  ExplainRequest,
  ExplainResult,
  WeightsInfo,
} from './types';

/** Steps past the oracle's length an episode may run before the viewer calls it a day. */
const EXTRA_STEPS = 6;

export class InspectService {
  #weights: CheckpointState;
  #info: WeightsInfo;
  /** Planners by batch size, each holding #weights (reloaded when the weights change). */
  readonly #planners = new Map<number, Planner>();
  /** The imported ONNX planner that plays episodes, and how the page names it. */
  #onnx: { planner: OnnxPlanner; info: WeightsInfo } | null = null;
  #grounder: Grounder = textMatchGrounder;
  #grounderName = 'stand-in: text match against element descriptions';
  /** Requests run one at a time: they share planners, sampler buffers and the grounder. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly be: Backend,
    readonly vocab: Vocab,
    weights: CheckpointState,
    info: Omit<WeightsInfo, 'horizon' | 'params' | 'backend'>,
  ) {
    this.#weights = weights;
    this.#info = this.#describe(weights, info);
  }

  /** The checkpoint weights (the GRPO explainer's, and the episodes' when no ONNX planner is set). */
  get weights(): WeightsInfo {
    return this.#info;
  }

  get checkpoint(): CheckpointState {
    return this.#weights;
  }

  /** The imported ONNX planner that plays the episodes; null when the checkpoint does. */
  get onnx(): WeightsInfo | null {
    return this.#onnx?.info ?? null;
  }

  /** Episodes are played by `planner` (checked and opened) from now on; `label` names it. */
  setOnnxPlanner(planner: OnnxPlanner, label: string): WeightsInfo {
    this.#dropOnnx();
    const info: WeightsInfo = {
      kind: 'onnx',
      label,
      note: null,
      horizon: planner.config.horizon,
      params: planner.file.params,
      backend: 'onnxruntime-wasm',
    };
    this.#onnx = { planner, info };
    return info;
  }

  #dropOnnx(): void {
    void this.#onnx?.planner.release();
    this.#onnx = null;
  }

  /** New weights (another run's checkpoint); planners of another shape are rebuilt. */
  setWeights(weights: CheckpointState, info: Omit<WeightsInfo, 'horizon' | 'params' | 'backend'>) {
    this.vocab.assertSame(weights.vocab, 'the checkpoint to inspect');
    this.#dropOnnx();
    for (const p of this.#planners.values()) p.release();
    this.#planners.clear();
    this.#weights = weights;
    this.#info = this.#describe(weights, info);
  }

  /** The frozen grounder, once it lands; until then the stand-in is used and labelled. */
  setGrounder(grounder: Grounder, name: string): void {
    this.#grounder = grounder;
    this.#grounderName = name;
  }

  agentEpisode(req: AgentRequest): Promise<AgentResult> {
    return this.#serial(() => this.#agentEpisode(req));
  }

  explain(req: ExplainRequest): Promise<ExplainResult> {
    return this.#serial(() => this.#explain(req));
  }

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #agentEpisode(req: AgentRequest): Promise<AgentResult> {
    const template = getTemplate(req.template);
    const onnx = this.#onnx;
    const modelH = onnx ? onnx.planner.config.horizon : this.#weights.config.horizon;
    const H = req.H === 'model' ? modelH : req.H;
    const rng = new Rng(hashString(`inspect/agent/${req.template}/${req.seed}/${H}`));
    const sampling = { temperature: req.temperature, topP: 1 };
    const forecaster = onnx
      ? { forecast: onnxForecaster(onnx.planner, sampling, rng), release: () => {} }
      : plannerForecaster(this.#planner(1), this.vocab, sampling, rng);
    try {
      const reference = walkOracleEpisode(req.template, req.seed, 'none', {});
      const trace: AgentTrace = await runAgentEpisode({
        template,
        seed: req.seed,
        H,
        forecaster: forecaster.forecast,
        grounder: this.#grounder,
        reward: rewardSettings(req.reward ?? {}),
        maxSteps: req.maxSteps ?? reference.refs.length + EXTRA_STEPS,
      });
      return { trace, grounder: this.#grounderName, weights: onnx?.info ?? this.#info };
    } finally {
      forecaster.release();
    }
  }

  async #explain(req: ExplainRequest): Promise<ExplainResult> {
    const planner = this.#planner(req.G);
    const H = planner.config.horizon;
    const episode = walkOracleEpisode(req.template, req.seed, 'none', {});
    if (episode.failure) throw new Error(`the oracle cannot solve this task: ${episode.failure}`);
    const t = Math.min(Math.max(0, req.t), episode.states.length - 1);
    const obs = episode.states[t];
    const encoded = encodePrompt(this.vocab, planner.config, planner.dims, {
      obs,
      pixels: render(obs).pixels,
      instruction: episode.instruction,
      executed: episode.refs.slice(0, t),
    });
    const reference = referencePlan(episode.refs.slice(t), H);
    const explanation: GroupExplanation = await explainGroup(
      { planner, vocab: this.vocab },
      { encoded, reference },
      req.G,
      {
        sampling: { temperature: req.temperature, topP: 1 },
        reward: rewardSettings(req.reward ?? {}),
        H,
        clipEps: req.clipEps,
        beta: req.beta,
        innerEpochs: 1,
        gradClip: 1,
        normalisation: 'token',
        optimizer: { ...DEFAULT_OPTIMIZER, lr: req.lr },
        rng: new Rng(hashString(`inspect/group/${req.template}/${req.seed}/${t}/${req.sample}`)),
      },
    );
    return {
      explanation,
      instruction: episode.instruction,
      t,
      steps: episode.refs.length,
      reference: planText(reference),
      obs,
      weights: this.#info,
    };
  }

  release(): void {
    this.#dropOnnx();
    for (const p of this.#planners.values()) p.release();
    this.#planners.clear();
  }

  #planner(B: number): Planner {
    let p = this.#planners.get(B);
    if (!p) {
      p = new Planner(this.be, this.#weights.config, this.vocab.size, B);
      restoreCheckpoint(p, this.#weights);
      this.#planners.set(B, p);
    }
    return p;
  }

  #describe(w: CheckpointState, info: Omit<WeightsInfo, 'horizon' | 'params' | 'backend'>) {
    let params = 0;
    for (const t of w.tensors.params.values()) params += t.length;
    return { ...info, horizon: w.config.horizon, params, backend: this.be.kind };
  }
}
