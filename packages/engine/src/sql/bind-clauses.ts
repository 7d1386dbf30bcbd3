/**
 * Binding of the clauses around expressions: the select list (with `*`), GROUP BY and ORDER BY
 * items (ordinals, select aliases, expressions) and LIMIT/OFFSET.
 *
 * Name resolution follows DuckDB: GROUP BY `x` is a table column first and a select alias second;
 * ORDER BY `x` is a select output name first and a table column second.
 */
import { InvalidArgumentError, PlanError } from '@pushdown/proto';
import { col, columnsOf, type Expr } from '../plan/expr.js';
import { AggregateRegistry } from './aggregate-registry.js';
import { bindValue } from './bind-expr.js';
import { findField, type BindScope, type BoundValue } from './bind-scope.js';
import { exprKey } from './expr-rewrite.js';
import type { AstColumnRef, AstExpr, AstOrderItem, AstSelect, AstSelectItem } from './sql-ast.js';

export interface SelectItem {
  /** Output column name: the alias, or the DuckDB-style display name. */
  readonly name: string;
  readonly bound: BoundValue;
  readonly offset: number | undefined;
}

export interface GroupItem {
  readonly expr: Expr;
  /** Preferred output name of the group column. */
  readonly name: string;
}

export type OrderTarget = { readonly item: number } | { readonly expr: Expr };

export interface OrderItem {
  readonly target: OrderTarget;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
}

export function hasAggregate(e: Expr): boolean {
  return columnsOf(e).some(AggregateRegistry.isPlaceholder);
}

function starQualifier(e: AstExpr): string | null | undefined {
  if (e.type !== 'column_ref' || (e as AstColumnRef).column !== '*') return undefined;
  const t = (e as AstColumnRef).table;
  return t === null ? null : typeof t === 'string' ? t : t.value;
}

/** Where a select item starts in the text (node-sql-parser only locates some node types). */
function itemOffset(e: AstExpr, scope: BindScope, after: number): number | undefined {
  if (e.loc) return e.loc.start.offset;
  const word =
    e.type === 'aggr_func' || e.type === 'cast'
      ? String(e['name'] ?? e.type)
      : e.type === 'column_ref' && typeof (e as AstColumnRef).column !== 'string'
        ? ((e as AstColumnRef).column as { expr: { value: string } }).expr.value
        : undefined;
  if (word === undefined) return undefined;
  const lower = word.toLowerCase();
  return scope.src.find(
    (t) => (t.kind === 'word' || t.kind === 'quoted') && t.value.toLowerCase() === lower,
    undefined,
    after,
  )?.offset;
}

export function bindSelectList(items: readonly AstSelectItem[], scope: BindScope): SelectItem[] {
  const out: (SelectItem & { aliasAt: number | undefined })[] = [];
  let cursor = scope.src.findKeyword('select') ?? 0;
  for (const item of items) {
    const star = starQualifier(item.expr);
    if (star !== undefined) {
      if (star !== null && !scope.qualifiers.includes(star.toLowerCase())) {
        throw new InvalidArgumentError(
          `unknown table "${star}" in ${star}.*${scope.src.at(scope.src.findName(star))}; the query reads ${scope.table}`,
        );
      }
      cursor = scope.src.find((t) => t.value === '*', undefined, cursor)?.end ?? cursor;
      for (const f of scope.schema) {
        out.push({
          name: f.name,
          bound: { kind: 'value', expr: col(f.name), name: f.name },
          offset: undefined,
          aliasAt: undefined,
        });
      }
      continue;
    }
    const bound = bindValue(item.expr, scope);
    const offset = itemOffset(item.expr, scope, cursor);
    const alias = item.as;
    const aliasAt =
      alias === null
        ? undefined
        : scope.src.find(
            (t) =>
              (t.kind === 'word' || t.kind === 'quoted') && t.value.toLowerCase() === alias.toLowerCase(),
            undefined,
            offset ?? cursor,
          )?.offset;
    cursor = Math.max(cursor, aliasAt ?? offset ?? cursor) + 1;
    if (alias !== null && alias.includes('$')) {
      throw new InvalidArgumentError(
        `alias "${alias}" may not contain "$"${scope.src.at(aliasAt)}: it is reserved for internal columns`,
      );
    }
    out.push({ name: alias ?? bound.name, bound, offset, aliasAt });
  }
  const seen = new Map<string, number>();
  out.forEach((it, i) => {
    const key = it.name.toLowerCase();
    if (seen.has(key)) {
      throw new InvalidArgumentError(
        `duplicate output column name "${it.name}" (select items ${seen.get(key)! + 1} and ${i + 1})${scope.src.at(it.aliasAt ?? it.offset)}; give each one a distinct alias with AS`,
      );
    }
    seen.set(key, i);
  });
  return out.map(({ aliasAt: _aliasAt, ...it }) => it);
}

/** A positive integer literal used as a GROUP BY / ORDER BY position, else undefined. */
function ordinal(e: AstExpr): number | undefined {
  return e.type === 'number' && typeof e['value'] === 'number' && Number.isInteger(e['value'])
    ? e['value']
    : undefined;
}

function itemAt(n: number, items: readonly SelectItem[], clause: string, scope: BindScope): number {
  if (n < 1 || n > items.length) {
    throw new InvalidArgumentError(
      `${clause} position ${n} is not in the select list${scope.src.at(scope.src.find((t) => t.kind === 'number' && t.value === String(n), undefined, scope.src.findKeyword(clause.split(' ')[0]!.toLowerCase()) ?? 0)?.offset)}; use 1 to ${items.length}`,
    );
  }
  return n - 1;
}

function findAlias(name: string, items: readonly SelectItem[]): number {
  return items.findIndex((it) => it.name.toLowerCase() === name.toLowerCase());
}

export function bindGroupBy(
  exprs: readonly AstExpr[],
  items: readonly SelectItem[],
  scope: BindScope,
): GroupItem[] {
  const groups: GroupItem[] = [];
  const add = (g: GroupItem, offset: number | undefined): void => {
    if (hasAggregate(g.expr)) {
      throw new InvalidArgumentError(`GROUP BY cannot use an aggregate (${g.name})${scope.src.at(offset)}`);
    }
    if (!groups.some((x) => exprKey(x.expr) === exprKey(g.expr))) groups.push(g);
  };
  for (const e of exprs) {
    const n = ordinal(e);
    if (n !== undefined) {
      const item = items[itemAt(n, items, 'GROUP BY', scope)]!;
      add({ expr: item.bound.expr, name: item.name }, item.offset);
      continue;
    }
    if (e.type === 'column_ref' && (e as AstColumnRef).table === null) {
      const ref = e as AstColumnRef;
      const name = typeof ref.column === 'string' ? ref.column : ref.column.expr.value;
      const alias = findAlias(name, items);
      if (!findField(scope.schema, name) && alias >= 0) {
        add({ expr: items[alias]!.bound.expr, name: items[alias]!.name }, items[alias]!.offset);
        continue;
      }
    }
    const bound = bindValue(e, scope);
    const same = items.find((it) => exprKey(it.bound.expr) === exprKey(bound.expr));
    add(
      { expr: bound.expr, name: bound.expr.kind === 'column' ? bound.name : (same?.name ?? bound.name) },
      e.loc?.start.offset,
    );
  }
  return groups;
}

export function bindOrderBy(
  order: readonly AstOrderItem[],
  items: readonly SelectItem[],
  scope: BindScope,
): OrderItem[] {
  return order.map((o) => {
    const desc = o.type === 'DESC';
    // DuckDB's default is NULLS LAST for both ASC and DESC.
    const nullsFirst = typeof o.nulls === 'string' && /first/i.test(o.nulls);
    const n = ordinal(o.expr);
    if (n !== undefined) return { target: { item: itemAt(n, items, 'ORDER BY', scope) }, desc, nullsFirst };
    if (o.expr.type === 'column_ref' && (o.expr as AstColumnRef).table === null) {
      const ref = o.expr as AstColumnRef;
      const alias = findAlias(typeof ref.column === 'string' ? ref.column : ref.column.expr.value, items);
      if (alias >= 0) return { target: { item: alias }, desc, nullsFirst };
    }
    const bound = bindValue(o.expr, scope);
    const same = items.findIndex((it) => exprKey(it.bound.expr) === exprKey(bound.expr));
    return { target: same >= 0 ? { item: same } : { expr: bound.expr }, desc, nullsFirst };
  });
}

export function bindLimit(s: AstSelect, scope: BindScope): { limit: number | null; offset: number } {
  const values = s.limit?.value ?? [];
  if (values.length === 0) return { limit: null, offset: 0 };
  const read = (e: AstExpr, clause: string): number | null => {
    if (e.type === 'origin' && String(e['value']).toLowerCase() === 'all') return null;
    const v = e['value'];
    const at = scope.src.at(scope.src.findKeyword(clause.toLowerCase()));
    if (e.type !== 'number' && e.type !== 'bigint')
      throw new PlanError(`${clause} must be a constant integer${at}`);
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new InvalidArgumentError(`${clause} must be a non-negative integer${at}; got ${String(v)}`);
    }
    return n;
  };
  if (s.limit?.seperator === 'offset') {
    if (values.length === 1) return { limit: null, offset: read(values[0]!, 'OFFSET') ?? 0 };
    return { limit: read(values[0]!, 'LIMIT'), offset: read(values[1]!, 'OFFSET') ?? 0 };
  }
  if (values.length > 1)
    throw new PlanError(
      `LIMIT with two values is not supported${scope.src.at(scope.src.findKeyword('limit'))}; use LIMIT n OFFSET m`,
    );
  return { limit: read(values[0]!, 'LIMIT'), offset: 0 };
}
