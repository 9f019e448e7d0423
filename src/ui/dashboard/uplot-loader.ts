// uPlot is loaded when the first chart is built, not with the view that shows the charts:
// evaluating its module would otherwise lengthen the task that mounts the view.
import type uPlot from 'uplot';
import { afterPaint } from '../defer';

let loaded: typeof uPlot | null = null;
let loading: Promise<typeof uPlot> | null = null;

/** `job` in a task of its own after a painted frame (src/ui/defer.ts). */
function inOwnTask(job: () => void): Promise<void> {
  return new Promise((done) =>
    afterPaint(() => {
      job();
      done();
    }),
  );
}

function loadUPlot(): Promise<typeof uPlot> {
  loading ??= (async () => {
    // As it loads, uPlot's module builds a number formatter for the page's locale and reads
    // the time zone; the first of each in a page loads ICU data, which made the module's
    // evaluation one long task. Each is done first in a task of its own (ICU keeps the data).
    await inOwnTask(() => new Intl.NumberFormat(navigator.language).format(0));
    await inOwnTask(() => new Intl.DateTimeFormat().resolvedOptions());
    return (loaded = (await import('uplot')).default);
  })();
  return loading;
}

/**
 * uPlot's constructor if it has loaded. If not, null: the load starts (once for every chart)
 * and `retry` runs when it is done, so a chart's build can put itself back in its queue.
 */
export function uPlotOrRetry(retry: () => void): typeof uPlot | null {
  if (loaded) return loaded;
  loadUPlot().then(retry, (e: unknown) => console.error(e));
  return null;
}
