/**
 * The scan worker's side of the watchdog (watchdog.ts has the pool owner's side). A worker
 * claims one slot of a SharedArrayBuffer table at start; around every call that may run away
 * (a plugin's scalar UDF, a built-in operator's kernel) it writes a deadline, the budget, the
 * pool's task id and a label naming the call, and clears the deadline afterwards. The owner
 * polls the table and terminates a worker whose deadline has passed, because a synchronous
 * WebAssembly call cannot be interrupted from inside its own thread.
 *
 * Cost per guarded call: a few Atomics stores (the label bytes are copied only when the label
 * changes). Outside a scan worker (no table attached) arming does nothing: the serial path
 * cannot be stopped, which is why fragments that call plugins always run in the pool.
 *
 * @example
 * const label = deadlineLabel('plugin "geo" function "geo_distance"', 'raise limits.timeBudgetMs');
 * const out = withDeadline(label, 5000, () => udf.call('geo_distance', cols, n));
 */

/** What a worker gets in its workerData to find the table. */
export interface WatchdogInit {
  readonly buffer: SharedArrayBuffer;
  readonly slots: number;
  /** The owner's clock origin (Date.now() at creation), in ms. */
  readonly epoch: number;
}

/** Slot layout, in int32 words; the label's UTF-8 bytes follow the header. */
export const SLOT_WORDS = 64;
export const W_OWNER = 0; // threadId of the worker holding the slot, 0 when free
export const W_DEADLINE = 1; // ms since epoch, 0 when no call is running
export const W_BUDGET = 2;
export const W_SEQ = 3; // bumped on every arm, so the owner can tell one call from the next
export const W_TASK = 4; // the pool's watch id of the task being run
export const W_LABEL_LEN = 5;
export const LABEL_BYTE = 32;
export const LABEL_MAX = SLOT_WORDS * 4 - LABEL_BYTE;

/** A call's name and the hint an overrun error carries, encoded once. */
export interface DeadlineLabel {
  readonly bytes: Uint8Array;
}

/**
 * Milliseconds since `epoch` on a clock every thread of the process shares. The wall clock, on
 * purpose: a worker's `performance.timeOrigin + performance.now()` was seen to run seconds behind
 * its owner's (a worker started long after its process), which delayed every stop by as much.
 */
export function sinceEpoch(epoch: number): number {
  return Date.now() - epoch;
}

const encoder = new TextEncoder();
const labels = new Map<string, DeadlineLabel>();

/** The label for `subject` (e.g. `plugin "geo" function "geo_distance"`), cached by text. */
export function deadlineLabel(subject: string, hint: string): DeadlineLabel {
  const key = `${subject}\n${hint}`;
  let label = labels.get(key);
  if (!label) {
    let bytes = encoder.encode(key);
    // Cut at a character boundary (never inside a UTF-8 sequence) when too long.
    if (bytes.length > LABEL_MAX) {
      let end = LABEL_MAX;
      while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
      bytes = bytes.subarray(0, end);
    }
    label = { bytes };
    labels.set(key, label);
  }
  return label;
}

let table: Int32Array | null = null;
let bytes: Uint8Array | null = null;
let base = 0;
let epoch = 0;
let armed = false;
let task = 0;
let lastLabel: DeadlineLabel | null = null;

/**
 * Claims a free slot for this thread. Returns false when the table is full (the owner frees the
 * slots of workers that exit, so that would mean a bug); calls then run unwatched.
 */
export function attachWatchdog(init: WatchdogInit, threadId: number): boolean {
  const i32 = new Int32Array(init.buffer);
  for (let s = 0; s < init.slots; s++) {
    if (Atomics.compareExchange(i32, s * SLOT_WORDS + W_OWNER, 0, threadId) === 0) {
      table = i32;
      bytes = new Uint8Array(init.buffer);
      base = s * SLOT_WORDS;
      epoch = init.epoch;
      return true;
    }
  }
  return false;
}

/** The pool's id of the task this worker runs now (named in the owner's error). */
export function setWatchedTask(id: number): void {
  task = id;
}

/**
 * Starts the clock of one call. Returns whether it armed (nested calls keep the outer deadline),
 * so the caller disarms only what it armed.
 */
export function armDeadline(label: DeadlineLabel, budgetMs: number): boolean {
  if (table === null || armed) return false;
  if (lastLabel !== label) {
    bytes!.set(label.bytes, base * 4 + LABEL_BYTE);
    Atomics.store(table, base + W_LABEL_LEN, label.bytes.length);
    lastLabel = label;
  }
  Atomics.store(table, base + W_TASK, task);
  Atomics.store(table, base + W_BUDGET, budgetMs);
  Atomics.add(table, base + W_SEQ, 1);
  // Stored last: the owner reads the fields above only after it sees a deadline.
  Atomics.store(table, base + W_DEADLINE, Math.ceil(sinceEpoch(epoch) + budgetMs) || 1);
  armed = true;
  return true;
}

export function disarmDeadline(): void {
  if (table === null) return;
  Atomics.store(table, base + W_DEADLINE, 0);
  armed = false;
}

/** Runs `fn` under a deadline of `budgetMs` (a no-op guard outside a scan worker). */
export function withDeadline<T>(label: DeadlineLabel, budgetMs: number, fn: () => T): T {
  const mine = armDeadline(label, budgetMs);
  try {
    return fn();
  } finally {
    if (mine) disarmDeadline();
  }
}
