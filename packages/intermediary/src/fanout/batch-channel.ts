/**
 * The buffer between the fragments (many producers) and the upper stages (one consumer).
 * Each buffered batch holds a reservation in the query's memory budget until the consumer
 * takes it, so producers slow down (and stop reading from their base nodes, which is gRPC and
 * HTTP backpressure) when the intermediary falls behind.
 */
import type { RecordBatch } from 'apache-arrow';
import type { MemoryBudget } from './memory-budget.js';

interface Item {
  readonly batch: RecordBatch;
  readonly bytes: number;
}

/** Bytes a batch holds (its buffers, children included). */
export function batchBytes(batch: RecordBatch): number {
  return batch.data.byteLength;
}

export class BatchChannel {
  readonly #budget: MemoryBudget;
  #queue: Item[] = [];
  #waiter: { resolve: () => void } | null = null;
  #error: { err: unknown } | null = null;
  #closed = false;
  #ended = false;

  constructor(budget: MemoryBudget) {
    this.#budget = budget;
  }

  /** Buffers a batch once the budget has room; `what` names it for a too-large error. */
  async push(batch: RecordBatch, what: string, signal: AbortSignal): Promise<void> {
    const bytes = batchBytes(batch);
    if (this.#waiter && this.#queue.length === 0) {
      // The consumer is starving: let this batch through even over budget, or producers that
      // hold pulled objects could all wait on each other (see MemoryBudget).
      this.#budget.force(bytes, what);
    } else {
      await this.#budget.acquire(bytes, signal, what);
    }
    if (this.#ended) {
      this.#budget.release(bytes);
      return;
    }
    this.#queue.push({ batch, bytes });
    this.#wake();
  }

  /** No more batches will come. */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  /** The query failed; the consumer sees `err` (the first one wins). */
  fail(err: unknown): void {
    if (this.#error || this.#ended) return;
    this.#error = { err };
    this.#wake();
  }

  /** The consumer is gone: drop what is buffered and give its memory back. */
  end(): void {
    this.#ended = true;
    for (const item of this.#queue) this.#budget.release(item.bytes);
    this.#queue = [];
  }

  async *batches(): AsyncGenerator<RecordBatch> {
    try {
      for (;;) {
        if (this.#error) throw this.#error.err;
        const item = this.#queue.shift();
        if (item) {
          this.#budget.release(item.bytes);
          yield item.batch;
          continue;
        }
        if (this.#closed) return;
        await new Promise<void>((resolve) => {
          this.#waiter = { resolve };
          // Nothing buffered: a producer stuck on the budget behind held objects goes first.
          if (this.#budget.waiting > 0) this.#budget.grantHead();
        });
      }
    } finally {
      this.end();
    }
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.resolve();
  }
}
