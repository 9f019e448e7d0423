// Whole numbers as the pages write them: 12,345 (en-US grouping, rounded). Written by hand, not
// with Intl: a page's first Intl formatter loads the locale data, ~35 ms on the main thread
// of a slow phone, and `toLocaleString` builds a new formatter on every call.
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',');
}
