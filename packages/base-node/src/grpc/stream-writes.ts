/**
 * Writing to a server stream with backpressure: when `write` returns false, wait for 'drain',
 * but never past the call's end (cancel, deadline, client gone), or the handler would hang.
 */
import type { Writable } from 'node:stream';

export async function writeMessage<T>(call: Writable, message: T, signal: AbortSignal): Promise<void> {
  if (signal.aborted || call.destroyed) return;
  if (!call.write(message)) await drained(call, signal);
}

function drained(call: Writable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    call.on('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** An AbortController that aborts when the client cancels the call (or its deadline passes). */
export function abortOnCancel(call: { on(event: 'cancelled', fn: () => void): unknown }): AbortController {
  const controller = new AbortController();
  call.on('cancelled', () => controller.abort());
  return controller;
}
