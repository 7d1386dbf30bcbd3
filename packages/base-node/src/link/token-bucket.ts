/**
 * A token bucket for bytes: `rate` bytes per second refill it up to `burst` bytes. Taking more
 * tokens than it holds goes into debt, and the answer is when that debt is paid: the moment the
 * bytes may leave. Reservations are never refused, so a sender is paced, not failed.
 */
export interface TokenBucketOptions {
  /** Bytes per second; must be > 0. */
  rate: number;
  /** Bucket size in bytes: how much may leave at once after idling. */
  burst: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(options: TokenBucketOptions) {
    this.rate = options.rate;
    this.burst = options.burst;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = options.burst;
    this.#at = this.#now();
  }

  /** Takes `bytes` tokens; returns the time (ms, same clock) when they are all available. */
  reserve(bytes: number): number {
    const now = this.#now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) * this.rate) / 1000);
    this.#at = now;
    this.#tokens -= bytes;
    return this.#tokens >= 0 ? now : now + (-this.#tokens * 1000) / this.rate;
  }
}
