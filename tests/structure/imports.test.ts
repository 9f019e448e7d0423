// The layers of src, lowest first: a file may import its own room and the rooms below it,
// never one above, and no files import each other in a circle.
//   rng, kernels  ←  envs  ←  text  ←  grounder  ←  rl  ←  workers, cli, bench  ←  ui, main, audit
// (text: the token vocabulary and action grammar that the grounder and the planner both read.)
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportGraph } from './import-graph';

const RANK: Record<string, number> = {
  'rng.ts': 0,
  'wgsl.d.ts': 0,
  kernels: 0,
  envs: 1,
  text: 2,
  grounder: 3,
  rl: 4,
  workers: 5,
  cli: 5,
  bench: 5,
  ui: 6,
  'main.ts': 6,
  audit: 6,
};

function room(file: string): string {
  return file.split('/')[0];
}

/** "from → to" for every import that reaches a higher room than its own. */
export function upwardImports(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const rank = RANK[room(from)];
    if (rank === undefined) throw new Error(`src/${from}: room '${room(from)}' has no layer`);
    for (const to of targets) {
      if (RANK[room(to)] === undefined) throw new Error(`src/${to}: room has no layer`);
      if (RANK[room(to)] <= rank) continue;
      out.push(`${from} → ${to}`);
    }
  }
  return out;
}

describe('src import structure', () => {
  const graph = importGraph(resolve(__dirname, '../../src'));

  it('reads the whole tree', () => {
    expect(graph.size).toBeGreaterThan(300);
    expect(graph.get('rl/trainer.ts')).toContain('kernels/backend.ts');
  });

  it('has no import from a lower layer to a higher one', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('would catch an upward import and a cycle', () => {
    const bad: ImportGraph = new Map([
      ['kernels/a.ts', ['envs/b.ts']],
      ['envs/b.ts', ['envs/c.ts']],
      ['envs/c.ts', ['envs/b.ts']],
      // The grounder may read the shared vocabulary, and nothing of the planner's (no exception).
      ['grounder/d.ts', ['text/vocab.ts', 'rl/lang/vocab.ts', 'rl/model/config.ts']],
      ['text/vocab.ts', []],
      ['rl/lang/vocab.ts', []],
      ['rl/model/config.ts', []],
    ]);
    expect(upwardImports(bad)).toEqual([
      'kernels/a.ts → envs/b.ts',
      'grounder/d.ts → rl/lang/vocab.ts',
      'grounder/d.ts → rl/model/config.ts',
    ]);
    expect(importCycles(bad)).toEqual([['envs/b.ts', 'envs/c.ts']]);
  });
});
