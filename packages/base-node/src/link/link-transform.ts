/**
 * The link as a stream stage, for the HTTP object API: `body.pipe(linkTransform(link)).pipe(res)`.
 * A chunk is accepted once it has left (bandwidth) and pushed on after the latency; the stream
 * ends only when every chunk has been pushed.
 */
import { Transform } from 'node:stream';
import type { LinkThrottle } from './link-throttle.js';

export function linkTransform(link: LinkThrottle): Transform {
  const controller = new AbortController();
  const stream = link.stream(controller.signal);
  const t: Transform = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      stream.send(chunk.length, () => t.push(chunk)).then(() => callback(), callback);
    },
    flush(callback) {
      stream.drain().then(() => callback(), callback);
    },
    destroy(err, callback) {
      controller.abort();
      callback(err);
    },
  });
  return t;
}
