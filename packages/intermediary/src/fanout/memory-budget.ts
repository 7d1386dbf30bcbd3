/**
 * A byte budget for what one query holds in flight: buffered record batches waiting for the
 * upper stages, and pulled object bytes on the no-pushdown path. Producers wait (FIFO) when the
 * budget is spent; a single request larger than the whole budget fails at once with
 * RESOURCE_EXHAUSTED because no amount of waiting could satisfy it.
 *
 * Deadlock guard: a producer that holds a reservation (a pulled object) while waiting for a
 * batch reservation could wait forever if everyone else does the same. The consumer breaks
 * that by calling `grantHead()` when it is starving (nothing buffered): the oldest waiter then
 * proceeds even over budget, so at most one grant overshoots at a time.
 *
 * @example
 * const budget = new MemoryBudget(256 << 20);
 * await budget.acquire(batchBytes, signal, 'a batch of lineitem/part-0.parquet');
 * // ... hand the batch over ...
 * budget.release(batchBytes);
 */
import { ResourceExhaustedError } from '@pushdown/proto';

interface Waiter {
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  readonly cleanup: () => void;
}

export class MemoryBudget {
  readonly limit: number;
  #used = 0;
  #peak = 0;
  #waiters: Waiter[] = [];

  constructor(limitBytes: number) {
    this.limit = limitBytes;
  }

  get used(): number {
    return this.#used;
  }

  /** Highest `used` seen: what the query really buffered. */
  get peak(): number {
    return this.#peak;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Reserves `bytes`, waiting while the budget is spent. `what` names the thing for the error a
   * too-large request gets.
   */
  acquire(bytes: number, signal?: AbortSignal, what = 'a request'): Promise<void> {
    if (bytes > this.limit) {
      return Promise.reject(this.#tooLarge(bytes, what));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#waiters.length === 0 && this.#used + bytes <= this.limit) {
      this.#take(bytes);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(signal?.reason);
        // A removed head may have been blocking smaller requests behind it.
        this.#drain();
      };
      const waiter: Waiter = {
        bytes,
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
    this.#drain();
  }

  /**
   * Reserves `bytes` now, even over budget (the deadlock guard above: for a consumer that is
   * starving). Still refuses a request larger than the whole budget.
   */
  force(bytes: number, what = 'a request'): void {
    if (bytes > this.limit) throw this.#tooLarge(bytes, what);
    this.#take(bytes);
  }

  /** Lets the oldest waiter through even over budget (see the deadlock guard above). */
  grantHead(): boolean {
    const head = this.#waiters.shift();
    if (!head) return false;
    this.#take(head.bytes);
    head.cleanup();
    head.resolve();
    return true;
  }

  #tooLarge(bytes: number, what: string): ResourceExhaustedError {
    return new ResourceExhaustedError(
      `${what} needs ${formatBytes(bytes)}, more than the whole memory budget of ${formatBytes(this.limit)}`,
      { hint: 'raise the intermediary --memory-budget, or make the batches smaller' },
    );
  }

  #take(bytes: number): void {
    this.#used += bytes;
    if (this.#used > this.#peak) this.#peak = this.#used;
  }

  #drain(): void {
    // FIFO: a large head waits for room rather than being starved by small requests behind it.
    while (this.#waiters.length > 0) {
      const head = this.#waiters[0]!;
      if (this.#used + head.bytes > this.limit) return;
      this.#waiters.shift();
      this.#take(head.bytes);
      head.cleanup();
      head.resolve();
    }
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
