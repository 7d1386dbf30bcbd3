/**
 * Scan: one plan fragment over one stored object, Arrow IPC out, stats last.
 *
 * The fragment is checked against the object before anything runs. Output batches are encoded
 * into one IPC stream and sent as it is produced, in messages of at most 1 MiB, waiting for
 * 'drain' so a slow client slows the scan instead of filling memory. A cancel (or deadline)
 * aborts the executor through its signal.
 */
import * as grpc from '@grpc/grpc-js';
import { runFragment, type FragmentStats } from '@pushdown/engine';
import { toServiceError, type ScanRequest__Output, type ScanResponse, type ScanStats } from '@pushdown/proto';
import { checkFragmentAgainstObject, parseFragment } from '../scan/fragment-check.js';
import { scanParallelism } from '../scan/parallelism.js';
import { chunksOf, IpcStreamEncoder } from '../scan/ipc-encoder.js';
import { fragmentOutputSchema } from '../scan/output-schema.js';
import type { ServiceContext } from './service-context.js';
import { abortOnCancel, writeMessage } from './stream-writes.js';

type ScanCall = grpc.ServerWritableStream<ScanRequest__Output, ScanResponse>;

/** Roughly what a stats message weighs on the wire, for the link's bandwidth share. */
const STATS_WIRE_BYTES = 512;

export function scanHandler(
  ctx: ServiceContext,
): grpc.handleServerStreamingCall<ScanRequest__Output, ScanResponse> {
  return (call) => {
    const controller = abortOnCancel(call);
    scan(ctx, call, controller.signal).then(
      (sent) => {
        if (sent) call.end();
      },
      (err: unknown) => {
        if (controller.signal.aborted) {
          ctx.log(`scan ${call.request.queryId || ''} cancelled: ${(err as Error)?.message ?? String(err)}`);
          return;
        }
        const status = toServiceError(err);
        // Errors the user cannot fix are bugs: keep the stack for whoever runs the node.
        if (status.code === grpc.status.INTERNAL)
          ctx.log(`scan failed: ${(err as Error)?.stack ?? String(err)}`);
        call.emit('error', status);
      },
    );
  };
}

/** Runs the scan; resolves false if the client went away before the end. */
async function scan(ctx: ServiceContext, call: ScanCall, signal: AbortSignal): Promise<boolean> {
  const started = performance.now();
  const fragment = parseFragment(call.request.fragmentJson);
  const { meta, blob } = await ctx.store.openBlob(fragment.table, fragment.object);
  checkFragmentAgainstObject(fragment, meta);

  const parallelism = scanParallelism(call.request.parallelism ?? 0, ctx.parallelism);
  const { batches, stats } = runFragment(fragment, blob, { signal, parallelism });
  const encoder = new IpcStreamEncoder();
  let bytesOut = 0;
  let rowsOut = 0;
  // With link emulation every message is paced and delayed on its way out, in order.
  const link = ctx.link?.enabled ? ctx.link.stream(signal) : undefined;
  const emit = (message: ScanResponse, size: number): Promise<void> =>
    link
      ? link.send(size, () => {
          if (!call.destroyed) call.write(message);
        })
      : writeMessage(call, message, signal);
  const send = async (bytes: Uint8Array) => {
    for (const chunk of chunksOf(bytes)) {
      await emit({ arrow: chunk }, chunk.byteLength);
      bytesOut += chunk.byteLength;
    }
  };
  for await (const batch of batches) {
    if (signal.aborted) return false;
    rowsOut += batch.numRows;
    await send(encoder.write(batch));
  }
  if (signal.aborted) return false;
  await send(encoder.finish(encoder.started ? null : fragmentOutputSchema(fragment, meta.schema)));
  const elapsedMs = performance.now() - started;
  await emit({ stats: toScanStats(ctx.nodeId, stats, rowsOut, bytesOut, elapsedMs) }, STATS_WIRE_BYTES);
  await link?.drain();
  return !signal.aborted;
}

function toScanStats(
  nodeId: string,
  stats: FragmentStats,
  rowsOut: number,
  bytesOut: number,
  elapsedMs: number,
): ScanStats {
  return {
    rowsScanned: stats.rowsScanned,
    bytesScanned: stats.bytesScanned,
    rowsOut,
    // The IPC bytes that crossed the wire, not the executor's in-memory estimate.
    bytesOut,
    rowGroupsTotal: stats.rowGroupsTotal,
    rowGroupsScanned: stats.rowGroupsScanned,
    elapsedMs,
    parallelism: stats.parallelism,
    stages: stats.stages.map((s) => ({
      name: s.name,
      tier: `base:${nodeId}`,
      rowsIn: s.rowsIn,
      rowsOut: s.rowsOut,
      bytesIn: s.bytesIn,
      bytesOut: s.bytesOut,
      bytesCopied: s.bytesCopied,
      computeMs: s.computeMs,
    })),
  };
}
