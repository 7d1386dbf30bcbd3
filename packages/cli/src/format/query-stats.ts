/** One-line summaries and the `--stats` report of a query's QueryStats. */
import type { QueryStats__Output } from '@pushdown/proto';
import { placementFromWire } from '../client/options.js';
import { formatBoxTable } from './box-table.js';
import { formatBytes, formatCount, formatMs } from './units.js';

/** `pushdown ×4` or `pushdown ×3, no-pushdown ×1`; `none` when no fragment ran. */
export function placementSummary(stats: QueryStats__Output): string {
  const counts = new Map<string, number>();
  for (const f of stats.fragments) {
    const name = placementFromWire(f.placement);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (counts.size === 0) return 'none';
  return [...counts].map(([name, n]) => `${name} ×${n}`).join(', ');
}

/** `4 rows in 12.3 ms · placement pushdown ×4 · 1.2 KiB shipped between tiers · 600,572 rows scanned` */
export function querySummaryLine(stats: QueryStats__Output, rows: number, wallMs?: number): string {
  const ms = wallMs ?? stats.elapsedMs;
  return [
    `${formatCount(rows)} row${rows === 1 ? '' : 's'} in ${formatMs(ms)}`,
    `placement ${placementSummary(stats)}`,
    `${formatBytes(stats.bytesShipped)} shipped between tiers`,
    `${formatCount(stats.rowsScanned)} rows scanned`,
  ].join(' · ');
}

/** The full stats report printed by `query --stats` (on stderr). */
export function formatQueryStats(stats: QueryStats__Output): string {
  const lines = [
    `query ${stats.queryId || '(no id)'}: ${formatMs(stats.elapsedMs)} on the server`,
    `  scanned  ${formatCount(stats.rowsScanned)} rows, ${formatBytes(stats.bytesScanned)}`,
    `  shipped  ${formatBytes(stats.bytesShipped)} between tiers`,
    `  returned ${formatCount(stats.rowsReturned)} rows, ${formatBytes(stats.bytesReturned)}`,
  ];
  if (stats.nodes.length > 0) {
    lines.push(
      formatBoxTable(
        [
          { name: 'node', align: 'left' },
          { name: 'fragments', align: 'right' },
          { name: 'rows scanned', align: 'right' },
          { name: 'bytes scanned', align: 'right' },
          { name: 'bytes shipped', align: 'right' },
          { name: 'ms', align: 'right' },
        ],
        stats.nodes.map((n) => [
          n.nodeId,
          String(n.fragments),
          formatCount(n.rowsScanned),
          formatBytes(n.bytesScanned),
          formatBytes(n.bytesShipped),
          n.elapsedMs.toFixed(1),
        ]),
      ),
    );
  }
  if (stats.fragments.length > 0) {
    lines.push(
      formatBoxTable(
        [
          { name: 'object', align: 'left' },
          { name: 'node', align: 'left' },
          { name: 'placement', align: 'left' },
          { name: 'row groups', align: 'right' },
          { name: 'ms', align: 'right' },
          { name: 'reason', align: 'left' },
        ],
        stats.fragments.map((f) => [
          `${f.table}/${f.object}`,
          f.nodeId,
          placementFromWire(f.placement),
          `${f.rowGroupsScanned}/${f.rowGroupsTotal}`,
          f.elapsedMs.toFixed(1),
          f.reason,
        ]),
        { maxRows: 20 },
      ),
    );
  }
  if (stats.stages.length > 0) {
    lines.push(
      formatBoxTable(
        [
          { name: 'stage', align: 'left' },
          { name: 'tier', align: 'left' },
          { name: 'rows in', align: 'right' },
          { name: 'rows out', align: 'right' },
          { name: 'bytes in', align: 'right' },
          { name: 'bytes out', align: 'right' },
          { name: 'copied', align: 'right' },
          { name: 'compute ms', align: 'right' },
        ],
        stats.stages.map((s) => [
          s.name,
          s.tier,
          formatCount(s.rowsIn),
          formatCount(s.rowsOut),
          formatBytes(s.bytesIn),
          formatBytes(s.bytesOut),
          formatBytes(s.bytesCopied),
          s.computeMs.toFixed(2),
        ]),
        { maxRows: 30 },
      ),
    );
  }
  return lines.join('\n');
}
