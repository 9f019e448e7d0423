// A wait the page shows progress for: what is happening, how far (step of steps, when the
// work has countable steps) and since when (performance.now()), so the elapsed time ticks.
export interface Wait {
  label: string;
  step?: number;
  steps?: number;
  since: number;
}

export function waitFor(label: string, step?: number, steps?: number): Wait {
  return { label, step, steps, since: performance.now() };
}
