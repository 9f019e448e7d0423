// The views' code, one chunk each, loaded when a view is first opened: a first visit parses
// only the shell and the view it lands on (main.ts waits for that one before the first paint,
// so its setup is not a long task after the paint), never the others' code.
import type { Component } from 'svelte';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ViewComponent = Component<any>;

const VIEW_MODULES: Record<string, () => Promise<{ default: ViewComponent }>> = {
  train: () => import('./train/TrainView.svelte'),
  selftest: () => import('./components/SelfTestView.svelte'),
  worlds: () => import('./gallery/GalleryView.svelte'),
  runs: () => import('./runs/RunsView.svelte'),
  agent: () => import('./viewer/AgentViewer.svelte'),
  grpo: () => import('./viewer/GrpoExplainer.svelte'),
};

export interface LoadedView {
  id: string;
  view: ViewComponent;
}

export async function loadView(id: string): Promise<LoadedView> {
  const load = VIEW_MODULES[id];
  if (!load) throw new Error(`no view '${id}'`);
  return { id, view: (await load()).default };
}
