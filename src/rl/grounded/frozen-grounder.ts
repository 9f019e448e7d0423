// The frozen ONNX grounder (src/grounder) as the agent's Grounder: the screen as the
// grounder may see it (no app keys), its click point, its confidence. loadFrozenGrounder finds
// the shipped model: from disk in Node (CLI, tests, experiments), over fetch in a browser
// worker.
import { screenElements } from '../../grounder/features';
import type { GroundingAgent } from '../../grounder/agent';
import type { Grounder } from '../agent/grounding';

export function frozenGrounder(agent: GroundingAgent): Grounder {
  const grounder: Grounder = async (obs, pixels, description) => {
    const screen = { width: obs.width, height: obs.height, elements: screenElements(obs.elements) };
    const r = await agent.ground(screen, pixels, description);
    return { elementId: r.elementId, point: r.point, score: r.confidence, source: 'grounder' };
  };
  Object.defineProperty(grounder, 'name', { value: `frozen grounder (${agent.backend})` });
  return grounder;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

let shared: Promise<Grounder> | null = null;

/**
 * The shipped grounder (public/models/grounder.onnx through onnxruntime-web's wasm), loaded
 * once per process or worker and shared: it is frozen, so every stage-2 run can use the same.
 */
export function sharedFrozenGrounder(): Promise<Grounder> {
  shared ??= loadFrozenGrounder();
  return shared;
}

async function loadFrozenGrounder(): Promise<Grounder> {
  let agent: GroundingAgent;
  if (isNode) {
    const { createNodeGrounder } = await import('../../grounder/node');
    agent = await createNodeGrounder();
  } else {
    const ort = await import('onnxruntime-web');
    const { createGrounder } = await import('../../grounder/runner');
    const url = `${import.meta.env.BASE_URL}models/grounder.onnx`;
    const model = new Uint8Array(await (await fetch(url)).arrayBuffer());
    agent = await createGrounder({ backend: 'ort-wasm', model, ort });
  }
  return frozenGrounder(agent);
}
