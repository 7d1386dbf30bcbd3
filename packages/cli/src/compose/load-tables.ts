/**
 * The Compose `loader`: on first start, generates the topology's tables (`pushdown gen`) and
 * puts each part on its base nodes (`pushdown put`), then waits until the intermediary's
 * catalog lists them. Idempotent: it asks every node what it already holds and generates and
 * puts only what is missing, so a second `docker compose up` (volumes kept) does nothing, and
 * a load interrupted half-way finishes on the next start.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { UnavailableError } from '@pushdown/proto';
import { BaseNodeAdmin } from '../client/base-node-admin.js';
import { PushdownClient } from '../client/pushdown-client.js';
import { generateTable } from '../gen/index.js';
import type { TableSpec } from './compose-input.js';
import { placeTable, type LoadPlan, type PlacedObject } from './load-plan.js';

export interface LoadTablesOptions {
  /** Scratch folder for generated part files; removed per table after its puts. */
  workDir: string;
  log: (line: string) => void;
  signal?: AbortSignal;
  /** How long to wait for the catalog to list every table. */
  catalogTimeoutMs?: number;
}

export interface LoadTablesResult {
  /** Objects written, as `table/name@node`. */
  put: string[];
  /** Objects already there. */
  kept: number;
}

export async function loadTables(plan: LoadPlan, options: LoadTablesOptions): Promise<LoadTablesResult> {
  const admins = new Map([...plan.nodes].map(([id, address]) => [id, new BaseNodeAdmin(address)]));
  const result: LoadTablesResult = { put: [], kept: 0 };
  try {
    const present = new Set<string>();
    for (const [id, admin] of admins) {
      for (const o of await admin.listObjects('')) present.add(`${id}/${o.table}/${o.name}`);
    }
    for (const table of plan.tables) {
      const objects = placeTable(table);
      const missing = objects
        .map((o) => ({ ...o, nodeIds: o.nodeIds.filter((id) => !present.has(`${id}/${o.table}/${o.name}`)) }))
        .filter((o) => o.nodeIds.length > 0);
      const copies = (list: PlacedObject[]) => list.reduce((n, o) => n + o.nodeIds.length, 0);
      result.kept += copies(objects) - copies(missing);
      if (missing.length === 0) {
        options.log(`${table.name}: all ${objects.length} objects present`);
        continue;
      }
      await loadMissing(table, missing, admins, options, result);
    }
  } finally {
    for (const a of admins.values()) a.close();
  }
  await waitForTables(plan, options);
  return result;
}

async function loadMissing(
  table: TableSpec,
  missing: PlacedObject[],
  admins: ReadonlyMap<string, BaseNodeAdmin>,
  options: LoadTablesOptions,
  result: LoadTablesResult,
): Promise<void> {
  const outDir = join(options.workDir, table.name);
  const gen = table.gen;
  try {
    if (gen) {
      options.log(
        `${table.name}: generating ${missing.length} of ${gen.parts} parts (${gen.table} SF ${gen.sf}, ${gen.format})`,
      );
      await mkdir(outDir, { recursive: true });
      await generateTable(
        {
          table: gen.table,
          sf: gen.sf,
          formats: [gen.format],
          parts: gen.parts,
          onlyParts: missing.map((o) => o.part),
          outDir,
        },
        options.signal ? { signal: options.signal } : {},
      );
    }
    for (const o of missing) {
      const file = gen ? join(outDir, o.name) : table.files![o.part]!;
      for (const id of o.nodeIds) {
        // overwrite: a node listed without this object may still hold a stale one of that name.
        await admins.get(id)!.putObject(file, {
          table: table.name,
          name: o.name,
          overwrite: true,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        result.put.push(`${table.name}/${o.name}@${id}`);
        options.log(`${table.name}: put ${o.name} → ${id}`);
      }
    }
  } finally {
    if (gen) await rm(outDir, { recursive: true, force: true });
  }
}

/** ListTables refreshes the catalog, so this returns as soon as the intermediary sees the puts. */
async function waitForTables(plan: LoadPlan, options: LoadTablesOptions): Promise<void> {
  const expected = plan.tables.map((t) => [t.name, placeTable(t).length] as const);
  if (expected.length === 0) return;
  const client = new PushdownClient(plan.intermediary);
  const deadline = Date.now() + (options.catalogTimeoutMs ?? 60_000);
  try {
    for (;;) {
      const tables = await client.listTables().catch(() => []);
      const short = expected.filter(
        ([name, parts]) =>
          new Set(tables.find((t) => t.name === name)?.objects.map((o) => o.name)).size < parts,
      );
      if (short.length === 0) {
        options.log(`catalog at ${plan.intermediary} lists ${expected.map(([n]) => n).join(', ')}`);
        return;
      }
      if (Date.now() > deadline) {
        throw new UnavailableError(
          `the intermediary at ${plan.intermediary} does not list ${short.map(([n]) => n).join(', ')} in full`,
          { hint: 'check its log (`docker compose logs intermediary`)' },
        );
      }
      await sleep(500, undefined, options.signal ? { signal: options.signal } : {});
    }
  } finally {
    client.close();
  }
}
