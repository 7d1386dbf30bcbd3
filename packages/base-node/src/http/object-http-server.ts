/**
 * The HTTP object API, the no-pushdown path: raw object bytes with Range support, streamed
 * from disk. `GET|HEAD /objects/{table}/{name}`, `GET /healthz`. Errors are JSON bodies
 * `{"error": {"code", "message"}}` with the matching HTTP status.
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, isPushdownError, type PushdownError } from '@pushdown/proto';
import { linkTransform } from '../link/link-transform.js';
import type { LinkThrottle } from '../link/link-throttle.js';
import type { ObjectStore, OpenedObject } from '../storage/object-store.js';
import { contentRange, parseRange } from './range.js';

export interface ObjectHttpServer {
  readonly server: Server;
  /** Body bytes sent so far (ranges count what they sent, HEAD counts nothing). */
  bytesServed(): number;
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting; open responses get `graceMs` (default 0) before their sockets are cut. */
  close(graceMs?: number): Promise<void>;
}

const CONTENT_TYPES = {
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv',
  jsonl: 'application/jsonl',
} as const;

const HTTP_STATUS: Partial<Record<string, number>> = {
  [ErrorCode.INVALID_ARGUMENT]: 400,
  [ErrorCode.NOT_FOUND]: 404,
};

export function createObjectHttpServer(
  store: ObjectStore,
  log: (line: string) => void = () => {},
  /** Emulated link: object bodies are paced and delayed through it when enabled. */
  link?: LinkThrottle,
): ObjectHttpServer {
  let served = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`http ${req.method} ${req.url}: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) sendError(res, err);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      return sendJson(res, 200, { status: 'ok' });
    }
    const parts = url.pathname.split('/');
    if (parts.length !== 4 || parts[1] !== 'objects') {
      return sendJson(res, 404, {
        error: {
          code: ErrorCode.NOT_FOUND,
          message: `no route ${url.pathname}; use /objects/{table}/{name}`,
        },
      });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, {
        error: { code: ErrorCode.INVALID_ARGUMENT, message: `method ${req.method} not allowed` },
      });
    }
    const table = safeDecode(parts[2] ?? '');
    const name = safeDecode(parts[3] ?? '');
    const opened = await store.openRead(table, name);
    serveObject(req, res, opened);
  }

  function serveObject(req: IncomingMessage, res: ServerResponse, opened: OpenedObject): void {
    const { meta, file, size } = opened;
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('ETag', `"${meta.sha256}"`);
    res.setHeader('Last-Modified', new Date(meta.modifiedMs).toUTCString());
    res.setHeader('Content-Type', CONTENT_TYPES[meta.format]);
    const range = parseRange(req.headers.range, size);
    if (range.kind === 'unsatisfiable') {
      void file.close().catch(() => {});
      res.setHeader('Content-Range', `bytes */${size}`);
      return sendJson(res, 416, {
        error: {
          code: ErrorCode.INVALID_ARGUMENT,
          message: `range ${req.headers.range} is outside the ${size} bytes of ${meta.table}/${meta.name}`,
        },
      });
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, size - 1];
    res.statusCode = range.kind === 'partial' ? 206 : 200;
    if (range.kind === 'partial') res.setHeader('Content-Range', contentRange(start, end, size));
    res.setHeader('Content-Length', String(end - start + 1));
    if (req.method === 'HEAD' || end < start) {
      void file.close().catch(() => {});
      res.end();
      return;
    }
    // The stream reads the already-open handle: a concurrent overwrite cannot mix two versions.
    const body = createReadStream('', { fd: file, start, end, autoClose: true });
    body.on('data', (chunk) => (served += chunk.length));
    body.on('error', (err) => {
      log(`http read ${meta.table}/${meta.name}: ${err.message}`);
      res.destroy(err);
    });
    res.on('close', () => body.destroy());
    if (link?.enabled) {
      const wire = linkTransform(link);
      res.on('close', () => wire.destroy());
      body.pipe(wire).pipe(res);
    } else {
      body.pipe(res);
    }
  }

  return {
    server,
    bytesServed: () => served,
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: (graceMs = 0) =>
      new Promise((resolve) => {
        // Idle keep-alive sockets go now; responses in flight get the grace period.
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // Left as is; name validation rejects the '%'.
  }
}

function sendError(res: ServerResponse, err: unknown): void {
  const pe = isPushdownError(err) ? (err as PushdownError) : null;
  const code = pe?.code ?? ErrorCode.INTERNAL;
  sendJson(res, HTTP_STATUS[code] ?? 500, {
    error: { code, message: err instanceof Error ? err.message : String(err) },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
