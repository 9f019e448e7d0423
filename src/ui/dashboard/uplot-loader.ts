// uPlot is loaded when the first chart is built, not with the view that shows the charts:
// evaluating its module would otherwise lengthen the task that mounts the view.
import type uPlot from 'uplot';

let loaded: typeof uPlot | null = null;
let loading: Promise<typeof uPlot> | null = null;

/** uPlot's constructor if it has been loaded, else null. */
export function uPlotIfLoaded(): typeof uPlot | null {
  return loaded;
}

export function loadUPlot(): Promise<typeof uPlot> {
  loading ??= import('uplot').then((m) => (loaded = m.default));
  return loading;
}
