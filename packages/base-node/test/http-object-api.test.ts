import { startBaseNode, type BaseNodeHandle } from '@pushdown/base-node';
import { bytesOf, makeTempDir, removeDir } from './helpers.js';

// 26 letters, repeated: easy to tell which bytes came back.
const BODY =
  'id\n' + Array.from({ length: 200 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('\n') + '\n';
const size = BODY.length; // 403

/** The JSON body the HTTP server answers errors with (object-http-server.ts). */
type ErrorBody = { error: { code: string; message: string } };

describe('HTTP object API', () => {
  let dir: string;
  let node: BaseNodeHandle;
  let url: string;
  let sha: string;

  beforeAll(async () => {
    dir = await makeTempDir('http');
    node = await startBaseNode({ nodeId: 'http-test', dataDir: dir });
    const meta = await node.store.put({ table: 'letters', name: 'a.csv' }, bytesOf(BODY));
    expect(meta.size).toBe(size);
    sha = meta.sha256;
    url = `${node.httpUrl}/objects/letters/a.csv`;
  });
  afterAll(async () => {
    await node.close();
    await removeDir(dir);
  });

  const get = (range?: string, method = 'GET') => fetch(url, { method, headers: range ? { range } : {} });

  it('serves the whole object with length, ETag and Accept-Ranges', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(size));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('etag')).toBe(`"${sha}"`);
    expect(res.headers.get('content-type')).toBe('text/csv');
    expect(await res.text()).toBe(BODY);
  });

  const ranges: [string, number, number][] = [
    ['bytes=0-9', 0, 9],
    ['bytes=5-5', 5, 5],
    ['bytes=100-', 100, size - 1],
    ['bytes=-8', size - 8, size - 1],
    ['bytes=-100000', 0, size - 1], // a suffix longer than the object is all of it
    ['bytes=390-100000', 390, size - 1], // an end past EOF is clamped
  ];
  it.each(ranges)('answers %s with 206 and the exact bytes', async (range, start, end) => {
    const res = await get(range);
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`);
    expect(res.headers.get('content-length')).toBe(String(end - start + 1));
    expect(await res.text()).toBe(BODY.slice(start, end + 1));
  });

  it('answers a start past EOF with 416 and Content-Range bytes */size', async () => {
    for (const range of [`bytes=${size}-`, `bytes=${size + 10}-${size + 20}`, 'bytes=-0']) {
      const res = await get(range);
      expect(res.status).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
      expect(((await res.json()) as ErrorBody).error.code).toBe('PUSHDOWN_ERR_INVALID_ARGUMENT');
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const before = node.httpBytesServed();
    const res = await get(undefined, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(size));
    expect(await res.text()).toBe('');
    const ranged = await get('bytes=-4', 'HEAD');
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes ${size - 4}-${size - 1}/${size}`);
    expect(node.httpBytesServed()).toBe(before);
  });

  it('counts the body bytes it serves', async () => {
    const before = node.httpBytesServed();
    await (await get('bytes=0-9')).arrayBuffer();
    await (await get()).arrayBuffer();
    expect(node.httpBytesServed() - before).toBe(10 + size);
  });

  it('answers a missing object with 404 and a JSON error', async () => {
    const res = await fetch(`${node.httpUrl}/objects/letters/nope.csv`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('PUSHDOWN_ERR_NOT_FOUND');
    expect(body.error.message).toContain('letters/nope.csv');
  });

  it('answers bad names with 400, unknown routes with 404, other methods with 405', async () => {
    expect((await fetch(`${node.httpUrl}/objects/letters/a..csv`)).status).toBe(400);
    expect((await fetch(`${node.httpUrl}/objects/letters%2Fx/a.csv`)).status).toBe(400);
    expect((await fetch(`${node.httpUrl}/nothing/here`)).status).toBe(404);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
  });

  it('serves /healthz', async () => {
    const res = await fetch(`${node.httpUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
