/**
 * Link emulation without kernel help (netem is not everywhere): each message a base node sends
 * to the intermediary is paced by the link's bandwidth (a token bucket shared by every stream
 * of the node, as one wire is) and delivered `latencyMs` after it left, like propagation delay.
 *
 * Latency is pipelined: a stream keeps sending while earlier messages are "in flight", so a
 * 20 ms link does not cap a stream at one message per 20 ms. Each stream delivers in order.
 *
 * @example
 * const link = new LinkThrottle({ latencyMs: 20, bandwidthBytesPerSec: 12.5e6 });
 * const stream = link.stream();
 * for (const chunk of chunks) await stream.send(chunk.byteLength, () => socket.write(chunk));
 * await stream.drain();
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TokenBucket } from './token-bucket.js';

export interface LinkOptions {
  /** Added delay per message, ms; 0 = none. */
  latencyMs: number;
  /** Bandwidth cap, bytes/s; 0 = unlimited. */
  bandwidthBytesPerSec: number;
  /** Token bucket size; default 64 KiB or 10 ms of bandwidth, whichever is larger. */
  burstBytes?: number;
}

export class LinkThrottle {
  readonly latencyMs: number;
  readonly bandwidthBytesPerSec: number;
  readonly #bucket: TokenBucket | undefined;

  constructor(options: LinkOptions) {
    this.latencyMs = options.latencyMs;
    this.bandwidthBytesPerSec = options.bandwidthBytesPerSec;
    this.#bucket =
      options.bandwidthBytesPerSec > 0
        ? new TokenBucket({
            rate: options.bandwidthBytesPerSec,
            burst: options.burstBytes ?? Math.max(64 * 1024, options.bandwidthBytesPerSec / 100),
          })
        : undefined;
  }

  /** True when the link adds latency or caps bandwidth. */
  get enabled(): boolean {
    return this.latencyMs > 0 || this.#bucket !== undefined;
  }

  /** A new ordered stream over this link (one per gRPC call or HTTP response). */
  stream(signal?: AbortSignal): LinkStream {
    return new LinkStream(this, signal);
  }

  /** When `bytes` sent now have left the sender (ms, performance.now clock). */
  departure(bytes: number): number {
    return this.#bucket ? this.#bucket.reserve(bytes) : performance.now();
  }
}

export class LinkStream {
  readonly #link: LinkThrottle;
  readonly #signal: AbortSignal | undefined;
  /** Resolves when the last queued delivery has run: deliveries chain, so order holds. */
  #tail: Promise<void> = Promise.resolve();
  #error: unknown;

  constructor(link: LinkThrottle, signal?: AbortSignal) {
    this.#link = link;
    this.#signal = signal;
  }

  /**
   * Sends `bytes`: resolves when they have left (the bandwidth share), and runs `deliver`
   * `latencyMs` later, after every earlier delivery of this stream. Nothing is delivered after
   * the signal aborts.
   */
  async send(bytes: number, deliver: () => void): Promise<void> {
    const departAt = this.#link.departure(bytes);
    const arriveAt = departAt + this.#link.latencyMs;
    const previous = this.#tail;
    this.#tail = (async () => {
      await previous;
      await sleepUntil(arriveAt);
      if (this.#signal?.aborted || this.#error !== undefined) return;
      try {
        deliver();
      } catch (err) {
        this.#error = err;
      }
    })();
    await sleepUntil(departAt);
  }

  /** Resolves when everything sent so far has been delivered; rejects if a delivery threw. */
  async drain(): Promise<void> {
    await this.#tail;
    if (this.#error !== undefined) throw this.#error;
  }
}

/**
 * Waits until performance.now() >= t. Node's timers run on a millisecond clock and can fire up to
 * a millisecond before performance.now() gets there; an emulated link must never deliver early,
 * so it waits again for whatever is left.
 */
async function sleepUntil(t: number): Promise<void> {
  for (let ms = t - performance.now(); ms > 0; ms = t - performance.now()) {
    await sleep(Math.max(1, Math.ceil(ms)));
  }
}
