/**
 * At most `limit` tasks run at once; the rest wait in FIFO order. Used per query to bound the
 * fragments in flight (QueryRequest.max_concurrency).
 *
 * @example
 * const limiter = new ConcurrencyLimiter(4);
 * await Promise.all(objects.map((o) => limiter.run(() => scan(o), signal)));
 */
export class ConcurrencyLimiter {
  readonly limit: number;
  #active = 0;
  #peak = 0;
  #queue: { start: () => void; reject: (err: unknown) => void; cleanup: () => void }[] = [];

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    this.limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  /** Most tasks seen running at once. */
  get peak(): number {
    return this.#peak;
  }

  get pending(): number {
    return this.#queue.length;
  }

  /** Runs `task` when a slot is free. An abort while waiting rejects with the signal's reason. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#enter(signal);
    try {
      return await task();
    } finally {
      this.#leave();
    }
  }

  #enter(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.limit) {
      this.#start();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.#queue.indexOf(entry);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal?.reason);
      };
      const entry = {
        start: () => {
          this.#start();
          resolve();
        },
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(entry);
    });
  }

  #start(): void {
    this.#active++;
    if (this.#active > this.#peak) this.#peak = this.#active;
  }

  #leave(): void {
    this.#active--;
    const next = this.#queue.shift();
    if (next) {
      next.cleanup();
      next.start();
    }
  }
}
