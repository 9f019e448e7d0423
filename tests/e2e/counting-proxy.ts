// A reverse proxy in front of the preview server that counts the bytes it delivers (status
// line, headers and body of every response), so a test measures what a first visit really
// transfers: the page, its workers and the service worker's precache alike.
import { createServer, request, type Server } from 'node:http';

export interface CountingProxy {
  url: string;
  /** Bytes delivered so far, and per path. */
  bytes(): number;
  byPath(): Map<string, number>;
  stop(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let total = 0;
  const paths = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const forward = request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        const head = Object.entries(up.headers).reduce(
          (n, [k, v]) => n + k.length + String(v).length + 4,
          20,
        );
        let size = head;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on('data', (chunk: Buffer) => (size += chunk.length));
        up.on('end', () => {
          total += size;
          const path = (req.url ?? '/').split('?')[0];
          paths.set(path, (paths.get(path) ?? 0) + size);
        });
        up.pipe(res);
      },
    );
    forward.on('error', () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    bytes: () => total,
    byPath: () => new Map(paths),
    stop: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
