// The service worker's isolation headers: every response it serves gets COOP/COEP with its
// status, body and other headers kept; opaque responses pass through untouched.
import { describe, expect, it } from 'vitest';
import {
  CROSS_ORIGIN_ISOLATION,
  isolationPlugin,
  withIsolationHeaders,
} from '../../src/workers/sw/isolation';

describe('service worker isolation headers', () => {
  it('adds COOP same-origin and COEP require-corp, keeping status, body and headers', async () => {
    const original = new Response('console.log(1)', {
      status: 203,
      statusText: 'Cached',
      headers: {
        'Content-Type': 'text/javascript',
        'Content-Security-Policy': "default-src 'self'",
      },
    });
    const r = withIsolationHeaders(original);
    expect(r.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(r.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(r.headers.get('Content-Type')).toBe('text/javascript');
    expect(r.headers.get('Content-Security-Policy')).toBe("default-src 'self'");
    expect([r.status, r.statusText]).toEqual([203, 'Cached']);
    expect(await r.text()).toBe('console.log(1)');
  });

  it('replaces a weaker policy the server sent', () => {
    const r = withIsolationHeaders(
      new Response(null, {
        status: 404,
        headers: { 'Cross-Origin-Embedder-Policy': 'unsafe-none' },
      }),
    );
    expect(r.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(r.status).toBe(404);
  });

  it('leaves an opaque response as it is, and the workbox plugin applies the same rule', async () => {
    const opaque = Response.error();
    expect(withIsolationHeaders(opaque)).toBe(opaque);
    const r = await isolationPlugin.handlerWillRespond({ response: new Response('x') });
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) {
      expect(r.headers.get(name)).toBe(value);
    }
  });
});
