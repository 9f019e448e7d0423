// Cross-origin isolation (COOP + COEP) gives a page and its workers SharedArrayBuffer, which
// the wasm backend's threads need. `npm start` and `npm run dev` send these headers; on a
// static host that sends none, the service worker adds them to every response it serves.
// One place for the header values: vite.config.ts and the service worker read them here.
export const CROSS_ORIGIN_ISOLATION: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `response` with the isolation headers set (its status, body and other headers kept). An
 * opaque response (status 0, another origin's) cannot be rebuilt and is returned as it is.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** A workbox plugin: every response a strategy hands to the page gets the headers. */
export const isolationPlugin = {
  handlerWillRespond: async ({ response }: { response: Response }): Promise<Response> =>
    withIsolationHeaders(response),
};
