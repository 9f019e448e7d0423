// Our own forward of the frozen grounder, on any Backend, from the same .onnx file the runner
// loads (weights from its initializers): the reference the ONNX graph is checked against.
import type { Backend } from '../kernels/backend';
import { groundResult, type GroundingAgent, type GroundResult } from './agent';
import { FEATURE_NAMES } from './config';
import { encodeDescription, encodeMatch, encodeScreen, type ScreenInput } from './features';
import type { GroundingExample } from './examples';
import { readGrounderFile, type GrounderFile } from './model-file';
import { GrounderModel } from './model';
import type { RawOutputs } from './runner';
import { writeBatch } from './train';

export class BackendGrounder implements GroundingAgent {
  readonly backend: string;
  readonly file: GrounderFile;
  /** One model per row count (elements + 1), all sharing the first one's parameters. */
  private readonly models = new Map<number, GrounderModel>();

  constructor(
    private readonly be: Backend,
    model: Uint8Array | GrounderFile,
  ) {
    this.file = model instanceof Uint8Array ? readGrounderFile(model) : model;
    this.backend = `backend:${be.kind}`;
  }

  private modelFor(E: number): GrounderModel {
    let m = this.models.get(E);
    if (!m) {
      const first = this.models.values().next().value;
      m = new GrounderModel(this.be, this.file.dims, 1, E, first);
      if (!first) this.be.write(m.flat.params, this.file.weights);
      this.models.set(E, m);
    }
    return m;
  }

  async ground(
    screen: ScreenInput,
    pixels: Uint8Array,
    description: string,
  ): Promise<GroundResult> {
    const { vocab, dims, config } = this.file;
    const f = encodeScreen(vocab, dims, config.cropSize, screen, pixels);
    const desc = encodeDescription(vocab, dims, description);
    const out = await this.forward({
      screen: f,
      desc,
      match: encodeMatch(dims, screen, description),
      target: -1,
      category: 'plain',
      description,
      source: '',
      labels: [],
    });
    return groundResult(screen, out.probs, out.choice, out.point);
  }

  /** The same outputs as the ONNX graph: probs (n+1), argmax (first on ties), point. */
  async forward(x: GroundingExample): Promise<RawOutputs> {
    const n = x.screen.n;
    const m = this.modelFor(n + 1);
    writeBatch(m, this.file.vocab, [x]);
    m.forward();
    const probs = Float32Array.from((await this.be.read(m.acts.probs)) as Float32Array);
    let choice = 0;
    for (let e = 1; e <= n; e++) if (probs[e] > probs[choice]) choice = e;
    const BF = this.file.dims.BF;
    const at = (k: (typeof FEATURE_NAMES)[number]) =>
      x.screen.feats[choice * BF + FEATURE_NAMES.indexOf(k)];
    const point: [number, number] =
      choice === n ? [-1, -1] : [at('x') + 0.5 * at('w'), at('y') + 0.5 * at('h')];
    return { probs, choice, point };
  }

  async dispose(): Promise<void> {
    const first = this.models.values().next().value;
    if (first) this.be.release(first.pool);
    this.models.clear();
  }
}
