// The frozen grounder (public/models/grounder.onnx in onnxruntime-web) as the inspect
// service's Grounder, loaded the way the grounder worker loads it. When it cannot load, the
// caller keeps the labelled stand-in and says why.
import { screenElements } from '../../grounder/features';
import { createGrounder } from '../../grounder/runner';
import type { Grounder } from '../../rl/inspect';
import { workerOrt } from './ort';

/** Relative to the site root; the same file the grounder worker loads. */
const GROUNDER_MODEL_URL = 'models/grounder.onnx';

export async function loadOnnxGrounder(
  base: string,
): Promise<{ grounder: Grounder; name: string }> {
  const ort = workerOrt();
  const url = new URL(GROUNDER_MODEL_URL, base);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
  // wasm everywhere: a handful of small graphs per episode, no device to share.
  const g = await createGrounder({
    backend: 'ort-wasm',
    model: new Uint8Array(await res.arrayBuffer()),
    ort,
  });
  const grounder: Grounder = async (obs, pixels, description) => {
    const screen = { width: obs.width, height: obs.height, elements: screenElements(obs.elements) };
    const r = await g.ground(screen, pixels, description);
    return { elementId: r.elementId, point: r.point, score: r.confidence, source: 'grounder' };
  };
  return { grounder, name: `frozen grounder (grounder.onnx, ${g.backend})` };
}
