// The layers of src, lowest first: a file may import its own room and the rooms below it,
// never one above, and no files import each other in a circle.
//   rng, kernels  ←  envs  ←  grounder  ←  rl  ←  workers, cli, bench  ←  ui, main, audit
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportGraph } from './import-graph';

const RANK: Record<string, number> = {
  'rng.ts': 0,
  'wgsl.d.ts': 0,
  kernels: 0,
  envs: 1,
  grounder: 2,
  rl: 3,
  workers: 4,
  cli: 4,
  bench: 4,
  ui: 5,
  'main.ts': 5,
  audit: 5,
};

// The one permitted upward edge: the grounder tokenises element text with the planner's
// vocabulary (rl/lang/vocab.ts), whose token kinds come from the action grammar. The two
// files belong in a room of their own below the grounder; they stay put while the planner's
// language is being changed, and this list names them so no other upward import can hide.
const SHARED_VOCABULARY = new Set(['rl/lang/vocab.ts', 'rl/lang/grammar.ts']);

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
      if (room(from) === 'grounder' && SHARED_VOCABULARY.has(to)) continue;
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

  it('lets the shared vocabulary import only below the grounder', () => {
    for (const file of SHARED_VOCABULARY) {
      for (const to of graph.get(file) ?? []) {
        expect(SHARED_VOCABULARY.has(to) || RANK[room(to)] < RANK.grounder, `${file} → ${to}`).toBe(
          true,
        );
      }
    }
  });

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('would catch an upward import and a cycle', () => {
    const bad: ImportGraph = new Map([
      ['kernels/a.ts', ['envs/b.ts']],
      ['envs/b.ts', ['envs/c.ts']],
      ['envs/c.ts', ['envs/b.ts']],
      ['grounder/d.ts', ['rl/lang/vocab.ts', 'rl/model/config.ts']],
      ['rl/lang/vocab.ts', []],
      ['rl/model/config.ts', []],
    ]);
    expect(upwardImports(bad)).toEqual([
      'kernels/a.ts → envs/b.ts',
      'grounder/d.ts → rl/model/config.ts',
    ]);
    expect(importCycles(bad)).toEqual([['envs/b.ts', 'envs/c.ts']]);
  });
});
