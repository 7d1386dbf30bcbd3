/**
 * The pool owner's side of the scan watchdog (watchdog-guard.ts is the workers' side). While
 * any task is in flight it polls the slot table every few milliseconds; a slot whose deadline
 * has passed names the call, its budget and the task: the watchdog records a
 * DeadlineExceededError for that task and terminates the worker. piscina then fails the task
 * (its worker exited), the pool turns that failure into the recorded error, and piscina starts a
 * replacement worker (the pool keeps minThreads = threads). Every other query keeps going.
 *
 * A call is stopped at most `pollMs` plus the time V8 takes to terminate a thread after its
 * deadline, provided this thread's event loop is free to run the poll.
 *
 * @example
 * const dog = new ScanWatchdog(8, () => piscina.threads);
 * const id = dog.begin();           // before handing a task to piscina (as task.watchId)
 * const why = dog.end(id);          // after it settled: the overrun error, if it was stopped
 */
import type { Worker } from 'node:worker_threads';
import { DeadlineExceededError } from '@pushdown/proto';
import {
  LABEL_BYTE,
  SLOT_WORDS,
  sinceEpoch,
  W_BUDGET,
  W_DEADLINE,
  W_LABEL_LEN,
  W_OWNER,
  W_SEQ,
  W_TASK,
  type WatchdogInit,
} from './watchdog-guard.js';

/** Poll period while tasks are in flight: the most a stop can lag a deadline, plus terminate. */
export const WATCHDOG_POLL_MS = 5;

const decoder = new TextDecoder();

export class ScanWatchdog {
  readonly init: WatchdogInit;
  readonly #i32: Int32Array;
  readonly #u8: Uint8Array;
  readonly #workers: () => readonly Worker[];
  readonly #pollMs: number;
  readonly #reasons = new Map<number, DeadlineExceededError>();
  readonly #live = new Set<number>();
  #nextId = 1;
  #timer: NodeJS.Timeout | null = null;
  /** Overruns seen so far (for tests and stats). */
  stopped = 0;
  /** The last few stops: which call, and how long after its deadline its thread was gone. */
  readonly recentStops: {
    subject: string;
    budgetMs: number;
    /** When the poll saw the overrun, and when the thread was gone, in ms past the deadline. */
    detectedMs: number;
    pastDeadlineMs: number;
  }[] = [];

  /**
   * @param slots more than the pool's threads: a replacement worker claims a slot while the
   *   one it replaces may not have been released yet.
   * @param workers the pool's live Worker objects, to find the one to terminate by threadId.
   */
  constructor(slots: number, workers: () => readonly Worker[], pollMs = WATCHDOG_POLL_MS) {
    const buffer = new SharedArrayBuffer(slots * SLOT_WORDS * 4);
    this.init = { buffer, slots, epoch: Date.now() };
    this.#i32 = new Int32Array(buffer);
    this.#u8 = new Uint8Array(buffer);
    this.#workers = workers;
    this.#pollMs = pollMs;
  }

  /** A task is about to be handed to a worker: its watch id; polling runs while any is out. */
  begin(): number {
    const id = this.#nextId++;
    this.#live.add(id);
    if (!this.#timer) {
      this.#timer = setInterval(() => this.#poll(), this.#pollMs);
      this.#timer.unref(); // a pending scan keeps the process alive, not the watchdog
    }
    return id;
  }

  /** The task settled: the error that explains it when the watchdog stopped it. */
  end(id: number): DeadlineExceededError | undefined {
    const why = this.#reasons.get(id);
    this.#reasons.delete(id);
    this.#live.delete(id);
    if (this.#live.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    return why;
  }

  /** The error recorded for task `id`, if the watchdog stopped it (kept until `end`). */
  reason(id: number): DeadlineExceededError | undefined {
    return this.#reasons.get(id);
  }

  /** A worker is gone (piscina's workerDestroy): its slot is free for a replacement. */
  release(threadId: number): void {
    for (let s = 0; s < this.init.slots; s++) {
      Atomics.compareExchange(this.#i32, s * SLOT_WORDS + W_OWNER, threadId, 0);
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #poll(): void {
    const now = sinceEpoch(this.init.epoch);
    const i32 = this.#i32;
    for (let s = 0; s < this.init.slots; s++) {
      const at = s * SLOT_WORDS;
      const threadId = Atomics.load(i32, at + W_OWNER);
      const deadline = Atomics.load(i32, at + W_DEADLINE);
      if (threadId === 0 || deadline === 0 || now <= deadline) continue;
      const seq = Atomics.load(i32, at + W_SEQ);
      const task = Atomics.load(i32, at + W_TASK);
      const budget = Atomics.load(i32, at + W_BUDGET);
      const len = Atomics.load(i32, at + W_LABEL_LEN);
      const label = decoder.decode(this.#u8.slice(at * 4 + LABEL_BYTE, at * 4 + LABEL_BYTE + len));
      // The call ended (and maybe another began) while we read: not an overrun of that one.
      if (Atomics.load(i32, at + W_SEQ) !== seq || Atomics.load(i32, at + W_DEADLINE) !== deadline) continue;
      // Cleared so the next poll does not stop the same worker twice.
      Atomics.compareExchange(i32, at + W_DEADLINE, deadline, 0);
      this.#stop(threadId, task, budget, label, deadline);
    }
  }

  #stop(threadId: number, task: number, budgetMs: number, label: string, deadline: number): void {
    const [subject, hint] = label.split('\n') as [string, string?];
    this.stopped++;
    if (this.#live.has(task))
      this.#reasons.set(
        task,
        new DeadlineExceededError(
          `${subject} exceeded its time budget of ${budgetMs} ms; its scan worker was terminated and the query stopped`,
          hint ? { hint } : {},
        ),
      );
    const detectedMs = sinceEpoch(this.init.epoch) - deadline;
    const worker = this.#workers().find((w) => w.threadId === threadId);
    if (!worker) {
      this.release(threadId);
      return;
    }
    void worker.terminate().finally(() => {
      this.release(threadId);
      const pastDeadlineMs = sinceEpoch(this.init.epoch) - deadline;
      this.recentStops.push({ subject, budgetMs, detectedMs, pastDeadlineMs });
      if (this.recentStops.length > 16) this.recentStops.shift();
    });
  }
}
