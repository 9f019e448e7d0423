// Chart redraws, spread over frames. A batch of metrics changes every chart at once;
// redrawing them all in the task that delivered the batch would block the page for tens of
// milliseconds on a slow machine, and so would painting ten changed canvases in one frame.
// Here each chart queues its latest redraw under its own key (a newer one replaces an older
// one not yet run), and the queue runs one job per frame in its own task, so input
// and painting stay smooth. While the tab is hidden, frames stop and so do redraws.

import { noteSlice } from './chart-work';

const SLICE_MS = 8;
const JOBS_PER_FRAME = 1;

const pending = new Map<string, () => void>();
let scheduled = false;

// A message to ourselves runs as the next task without setTimeout's clamping.
const channel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
if (channel) channel.port1.onmessage = () => runSlice();

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  if (channel) channel.port2.postMessage(null);
  else setTimeout(runSlice, 0);
}

function runSlice(): void {
  const start = performance.now();
  let jobs = 0;
  for (const [key, job] of pending) {
    pending.delete(key);
    try {
      job();
    } catch (e) {
      // One chart's failure must not stop the others' redraws.
      console.error(e);
    }
    if (++jobs >= JOBS_PER_FRAME || performance.now() - start > SLICE_MS) break;
  }
  noteSlice(jobs);
  scheduled = false;
  if (pending.size === 0) return;
  // The rest after the next frame has painted.
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    schedule();
  });
}

/** Run `job` soon, in its own slice of work; a later call with the same key replaces it. */
export function queueRedraw(key: string, job: () => void): void {
  pending.set(key, job); // a waiting key keeps its place in line
  schedule();
}

/** Drop a queued redraw (the chart went away). */
export function cancelRedraw(key: string): void {
  pending.delete(key);
}
