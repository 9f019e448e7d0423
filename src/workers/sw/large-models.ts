// Shipped files too large for the first visit's precache: cached when a run first needs them.
// vite.config.ts leaves them out of the precache, the service worker caches them on first use.
export const LARGE_MODELS: readonly string[] = ['models/stage0-small.bin'];
