// End-to-end tests reach page internals through window.__tracelab, and only in a dev server
// or when the page was opened with ?test: the product never exposes them otherwise.
declare global {
  interface Window {
    __tracelab?: Record<string, unknown>;
  }
}

export function testMode(): boolean {
  return import.meta.env.DEV || new URLSearchParams(location.search).has('test');
}

export function exposeForTests(name: string, value: unknown): void {
  if (!testMode()) return;
  window.__tracelab = { ...window.__tracelab, [name]: value };
}
