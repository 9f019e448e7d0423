// Work a view can do after the page has painted. Mounting a whole view in one go is one long
// main-thread task (the Train page's form and charts took ~0.5 s on a slow phone), during which
// the page ignores input; here each queued job runs in its own task after a frame, one job per
// frame, so a heavy view appears piece by piece in short tasks instead. Hidden tabs have no
// frames, so there a timer stands in for the frame.

const queue: (() => void)[] = [];
let scheduled = false;

// A message to ourselves runs as the next task without setTimeout's clamping.
const channel = typeof MessageChannel === 'undefined' ? null : new MessageChannel();
if (channel) channel.port1.onmessage = () => runOne();

function nextTask(): void {
  if (channel) channel.port2.postMessage(null);
  else setTimeout(runOne, 0);
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  if (typeof requestAnimationFrame === 'undefined' || document.hidden) setTimeout(runOne, 16);
  // The job runs in the task after the frame has been painted.
  else requestAnimationFrame(nextTask);
}

function runOne(): void {
  scheduled = false;
  const job = queue.shift();
  try {
    job?.();
  } catch (e) {
    // One part's failure must not hold back the others.
    console.error(e);
  }
  if (queue.length > 0) schedule();
}

/**
 * Resolves in a new task (a message to ourselves, not setTimeout's clamped delay), so that
 * what comes after the await is not part of the task that is running now.
 */
export function afterThisTask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((ok) => setTimeout(ok, 0));
  const { port1, port2 } = new MessageChannel();
  return new Promise((ok) => {
    port1.onmessage = () => {
      port1.close();
      ok();
    };
    port2.postMessage(null);
  });
}

/**
 * Run `job` after the next painted frame, in its own task, after the jobs queued before it.
 * Returns a function that drops the job if it has not run yet.
 */
export function afterPaint(job: () => void): () => void {
  queue.push(job);
  schedule();
  return () => {
    const at = queue.indexOf(job);
    if (at >= 0) queue.splice(at, 1);
  };
}
