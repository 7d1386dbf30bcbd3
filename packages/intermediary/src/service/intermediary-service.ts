/**
 * The gRPC pushdown.v1.Intermediary handlers: Query (streamed result, stats last), Explain,
 * ListTables, and the plugin calls (plugin-service.ts). Every failure becomes a status through toServiceError (never UNKNOWN); one
 * failed or cancelled query never touches another, and no promise is left unhandled.
 */
import { randomUUID } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { once } from 'node:events';
import type { ServerWritableStream } from '@grpc/grpc-js';
import {
  CancelledError,
  DeadlineExceededError,
  ErrorCode,
  PushdownError,
  toServiceError,
  type IntermediaryHandlers,
  type ListTablesResponse,
  type QueryRequest__Output,
  type QueryResponse,
} from '@pushdown/proto';
import { schemaToJson } from '@pushdown/engine';
import { resultFormatOf } from '../encoders/result-encoder.js';
import { explainQuery } from '../engine-api.js';
import { placementOf } from '../fanout/placement.js';
import { checkSql, prepareQuery } from '../query/prepare-query.js';
import { runQuery, type QueryContext } from '../query/run-query.js';
import { removeClusterPlugin } from './plugin-remove-service.js';
import { installClusterPlugin, listClusterPlugins } from './plugin-service.js';

/** Published once per finished query: {queryId, tenant, sql, ok, error?, stats?}. */
export const queryChannel = diagnosticsChannel.channel('pushdown:intermediary:query');

export function createIntermediaryHandlers(ctx: QueryContext): IntermediaryHandlers {
  const log = ctx.options.logger;
  return {
    Query: (call) => {
      handleQuery(ctx, call).catch((err: unknown) =>
        log('error', 'query handler failed', { err: String(err) }),
      );
    },

    Explain: (call, callback) => {
      (async () => {
        const req = call.request;
        const sql = checkSql(req.sql, ctx.options.maxSqlBytes);
        const asked = placementOf(req.placement);
        const placement = asked === 'AUTO' ? ctx.options.defaultPlacement : asked;
        const prepared = await prepareQuery(ctx.catalog, sql, placement, { requireNodes: false });
        const placements = prepared.fragments.map((f) => ({
          object: `${f.object.table}/${f.object.name}`,
          node: f.decision.node.id,
          placement: f.decision.placement,
          reason:
            f.decision.node.status === 'down' ? `${f.decision.reason} (node is down)` : f.decision.reason,
        }));
        return { text: explainQuery(prepared.plan, placements) };
      })().then(
        (res) => callback(null, res),
        (err: unknown) => callback(toServiceError(err)),
      );
    },

    InstallPlugin: (call, callback) => {
      installClusterPlugin(ctx, call.request).then(
        (res) => callback(null, res),
        (err: unknown) => callback(toServiceError(err)),
      );
    },

    RemovePlugin: (call, callback) => {
      removeClusterPlugin(ctx, call.request).then(
        (res) => callback(null, res),
        (err: unknown) => callback(toServiceError(err)),
      );
    },

    ListPlugins: (_call, callback) => {
      listClusterPlugins(ctx).then(
        (res) => callback(null, res),
        (err: unknown) => callback(toServiceError(err)),
      );
    },

    ListTables: (_call, callback) => {
      (async (): Promise<ListTablesResponse> => {
        await ctx.catalog.refresh();
        return {
          tables: ctx.catalog.tables().map((t) => ({
            name: t.name,
            schemaJson: schemaToJson(t.schema),
            objects: t.objects.map((o) => ({
              table: o.table,
              name: o.name,
              size: o.size,
              sha256: o.sha256,
              format: o.format,
              modifiedMs: o.modifiedMs,
              schemaJson: o.schemaJson,
              numRows: o.numRows ?? -1,
              nodeIds: [...o.nodes],
            })),
            totalRows: t.totalRows,
            totalBytes: t.totalBytes,
            error: t.error ?? '',
          })),
        };
      })().then(
        (res) => callback(null, res),
        (err: unknown) => callback(toServiceError(err)),
      );
    },
  };
}

async function handleQuery(
  ctx: QueryContext,
  call: ServerWritableStream<QueryRequest__Output, QueryResponse>,
): Promise<void> {
  const log = ctx.options.logger;
  const queryId = randomUUID();
  const req = call.request;
  const controller = new AbortController();
  const onCancel = () => controller.abort(new CancelledError(`query ${queryId} was cancelled by the client`));
  call.on('cancelled', onCancel);
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  let timer: NodeJS.Timeout | undefined;
  if (Number.isFinite(deadlineMs)) {
    timer = setTimeout(
      () => controller.abort(new DeadlineExceededError(`query ${queryId} ran past the client's deadline`)),
      Math.max(0, deadlineMs - Date.now()),
    );
  }
  const signal = controller.signal;
  const send = async (chunk: Uint8Array) => {
    signal.throwIfAborted();
    if (!call.write({ data: chunk })) {
      try {
        await once(call, 'drain', { signal });
      } catch (err) {
        throw signal.aborted ? signal.reason : err;
      }
    }
  };
  const t0 = Date.now();
  try {
    const stats = await runQuery(
      ctx,
      {
        queryId,
        sql: req.sql,
        placement: placementOf(req.placement),
        format: resultFormatOf(req.format),
        maxConcurrency: req.maxConcurrency,
        parallelism: req.parallelism ?? 0,
        signal,
        ...(Number.isFinite(deadlineMs) ? { deadline } : {}),
      },
      send,
    );
    call.write({ stats });
    call.end();
    log('info', 'query done', {
      queryId,
      tenant: req.tenant,
      rows: stats.rowsReturned,
      elapsedMs: Math.round(Date.now() - t0),
    });
    if (queryChannel.hasSubscribers)
      queryChannel.publish({ queryId, tenant: req.tenant, sql: req.sql, ok: true, stats });
  } catch (err) {
    const reason = signal.aborted ? signal.reason : err;
    // An object that vanished under a query means the catalog is stale: re-read it (never rejects).
    if (reason instanceof PushdownError && reason.code === ErrorCode.NOT_FOUND) {
      ctx.catalog.refresh().catch(() => {});
    }
    log(call.cancelled ? 'info' : 'warn', 'query failed', {
      queryId,
      tenant: req.tenant,
      error: String(reason),
    });
    if (queryChannel.hasSubscribers) {
      queryChannel.publish({ queryId, tenant: req.tenant, sql: req.sql, ok: false, error: reason });
    }
    if (!call.cancelled) call.emit('error', toServiceError(reason));
  } finally {
    if (timer) clearTimeout(timer);
    call.off('cancelled', onCancel);
  }
}
