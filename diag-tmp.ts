// Diagnosis (not shipped): where does the planner first leave the oracle's path on online episodes?
import { runOnlineEpisodes } from './src/rl/agent/receding-horizon';
import { suiteInstances } from './src/envs/suites/splits';
import type { GuiInstance } from './src/envs/suites/splits';
import { loadCheckpointFile } from './src/rl/model/checkpoint-node';
import { checkpointAgent } from './src/rl/eval';
import { frozenGrounder } from './src/rl/agent';
import { createNodeGrounder } from './src/grounder/node';
import { commandLineWasmBackend } from './src/cli/wasm-backend';
import { writeFileSync } from 'node:fs';

const [ck, suite, countArg, out] = process.argv.slice(2);
const state = await loadCheckpointFile(ck);
const frozen = await createNodeGrounder();
const be = await commandLineWasmBackend();
const loaded = checkpointAgent(state, { be, grounder: frozenGrounder(frozen) });
const agent = loaded.agent;
const specs = suiteInstances(suite as never, 'held-out-params', Number(countArg)) as GuiInstance[];
const log: Record<number, unknown[]> = {};
const outcomes = await runOnlineEpisodes(agent, specs, {
  beforeStep(s) {
    const d = agent.lastDecisions[s.slot];
    const ref = s.ep.oracle();
    const refStep = ref.steps[0];
    (log[s.episode] ??= []).push({
      forecast: d.forecast.text,
      error: d.error ?? null,
      action: s.action,
      refInstr: refStep?.instruction ?? null,
      refType: refStep?.type ?? null,
      refAction: refStep?.action ?? null,
      refLen: ref.steps.length,
      elements: s.obs.elements.length,
    });
  },
});
const rows = outcomes.map((o, i) => ({
  template: typeof o.spec.template === 'string' ? o.spec.template : o.spec.template.id,
  seed: o.spec.seed,
  success: o.success,
  steps: o.steps,
  executed: o.executed.map((e) => e.instruction),
  log: log[i],
}));
writeFileSync(out, JSON.stringify(rows, null, 1));
console.log('success', rows.filter((r) => r.success).length, '/', rows.length);
loaded.release();
be.destroy();
await frozen.dispose();
process.exit(0);
