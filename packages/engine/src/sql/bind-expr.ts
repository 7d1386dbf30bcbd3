/**
 * Binds one node-sql-parser expression to the expression IR against a table's columns, with
 * its DuckDB-style display name (the output column name when no alias is given):
 * columns by their catalog spelling, `(a + b)`, `-(a)`, `sum(l_quantity)`, `count_star()`,
 * `CAST(x AS DOUBLE)`, `(x BETWEEN 1 AND 2)`, `(x IN (1, 2))`, `(x ~~ 'a%')`, `(x IS NULL)`.
 */
import { InvalidArgumentError, PlanError } from '@pushdown/proto';
import type { AggregateFn } from '../plan/aggregate.js';
import { col, lit, type ComparisonOp, type Literal } from '../plan/expr.js';
import { parseDateLiteral, parseInterval } from './date-literal.js';
import { parseExactDecimal } from './exact-decimal.js';
import { exprType } from './expr-type.js';
import {
  findField,
  scopeTypes,
  unknownColumnError,
  type BindScope,
  type Bound,
  type BoundValue,
} from './bind-scope.js';
import {
  bindArithmetic,
  bindComparison,
  bindLogical,
  bindNegate,
  coerceComparable,
  intLiteral,
  requireBool,
  requireNumeric,
  typeOf,
  value,
} from './bind-operators.js';
import { bindCast } from './bind-cast.js';
import { bindUdfCall, unknownFunctionError } from './bind-call.js';
import { aggregateArgScope, bindAggregateUdf } from './bind-aggregate-udf.js';
import type {
  AstAggregate,
  AstBinary,
  AstCast,
  AstColumnRef,
  AstExpr,
  AstExprList,
  AstFunction,
  AstInterval,
  AstUnary,
} from './sql-ast.js';

const COMPARISONS: Record<string, ComparisonOp> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};
const AGGREGATES: Record<string, AggregateFn> = {
  COUNT: 'count',
  SUM: 'sum',
  AVG: 'avg',
  MIN: 'min',
  MAX: 'max',
};

/** Binds a value expression (an INTERVAL on its own is an error). */
export function bindValue(node: AstExpr, scope: BindScope): BoundValue {
  return value(
    bindExpr(node, scope),
    scope,
    node.loc?.start.offset ?? scope.range?.start,
    `in ${scope.clause}`,
  );
}

export function bindExpr(node: AstExpr, parent: BindScope): Bound {
  const scope: BindScope = node.loc
    ? { ...parent, range: { start: node.loc.start.offset, end: node.loc.end.offset } }
    : parent;
  const at = node.loc?.start.offset;
  switch (node.type) {
    case 'column_ref':
      return bindColumn(node as AstColumnRef, scope);
    case 'number':
    case 'bigint':
      return bindNumber(String(node['value']), scope);
    case 'single_quote_string':
    case 'string': {
      const text = String(node['value']).replace(/''/g, "'");
      return { kind: 'value', expr: lit(text, 'utf8'), name: `'${text.replace(/'/g, "''")}'` };
    }
    case 'bool':
      return {
        kind: 'value',
        expr: lit(Boolean(node['value']), 'bool'),
        name: String(Boolean(node['value'])),
      };
    case 'null':
      return { kind: 'value', expr: lit(null, 'int64'), name: 'NULL' };
    case 'date': {
      const text = String(node['value']);
      const days = parseDateLiteral(text);
      if (days === undefined) {
        throw new InvalidArgumentError(
          `invalid DATE literal '${text}'${scope.src.at(scope.src.find((t) => t.kind === 'string' && t.value === text)?.offset)}: expected 'YYYY-MM-DD'`,
        );
      }
      return { kind: 'value', expr: lit(days, 'date32'), name: `DATE '${text}'` };
    }
    case 'interval':
      return bindInterval(node as AstInterval, scope);
    case 'binary_expr':
      return bindBinary(node as AstBinary, scope);
    case 'unary_expr': {
      const u = node as AstUnary;
      if (u.operator === '-') return bindNegate(bindExpr(u.expr, scope), scope, at);
      if (u.operator === '+') return bindExpr(u.expr, scope);
      if (u.operator.toUpperCase() === 'NOT') return bindNot(u.expr, scope);
      throw new PlanError(`unary operator ${u.operator} is not supported${scope.src.at(at)}`);
    }
    case 'function':
      return bindFunction(node as AstFunction, scope);
    case 'aggr_func':
      return bindAggregate(node as AstAggregate, scope);
    case 'cast':
      return bindCast(node as AstCast, bindValue((node as AstCast).expr, scope), scope);
    case 'window_func':
      throw new PlanError(
        `window functions are not supported yet${scope.src.at(scope.src.findKeyword('over'))}`,
      );
    case 'case':
      throw new PlanError(
        `CASE expressions are not supported yet${scope.src.at(scope.src.findKeyword('case'))}`,
      );
    case 'extract':
      throw new PlanError(`EXTRACT is not supported yet${scope.src.at(at)}`);
    case 'star':
      throw new InvalidArgumentError(`* is only allowed as a select item or in COUNT(*)${scope.src.at(at)}`);
    default:
      if ('ast' in node) {
        throw new PlanError(
          `subqueries are not supported yet${scope.src.at(scope.src.findKeyword('select', 1))}`,
        );
      }
      throw new PlanError(`this kind of expression (${node.type}) is not supported${scope.src.at(at)}`);
  }
}

function columnName(ref: AstColumnRef): string {
  return typeof ref.column === 'string' ? ref.column : ref.column.expr.value;
}

function bindColumn(ref: AstColumnRef, scope: BindScope): BoundValue {
  const name = columnName(ref);
  const offset = scope.src.findName(name, scope.range);
  if (name === '*')
    throw new InvalidArgumentError(
      `* is only allowed as a select item or in COUNT(*)${scope.src.at(offset)}`,
    );
  const qualifier = ref.table === null ? null : typeof ref.table === 'string' ? ref.table : ref.table.value;
  if (qualifier !== null && !scope.qualifiers.includes(qualifier.toLowerCase())) {
    throw new InvalidArgumentError(
      `unknown table "${qualifier}" in ${qualifier}.${name}${scope.src.at(scope.src.findName(qualifier, scope.range))}; the query reads ${scope.table}`,
    );
  }
  const field = findField(scope.schema, name);
  if (!field) throw unknownColumnError(scope, name, offset);
  return { kind: 'value', expr: col(field.name), name: field.name };
}

function bindNumber(text: string, scope: BindScope): BoundValue {
  const exact = parseExactDecimal(text);
  if (!exact) throw new InvalidArgumentError(`invalid number ${text}${scope.src.at(scope.range?.start)}`);
  // Integers are BIGINT; anything with a point or exponent is a decimal, carried as float64 but folded exactly.
  const literal: Literal = /^[+-]?[0-9]+$/.test(text)
    ? intLiteral(exact.digits, scope, scope.range?.start)
    : lit(Number(text), 'float64');
  return { kind: 'value', expr: literal, name: text, exact };
}

function bindInterval(node: AstInterval, scope: BindScope): Bound {
  const amount =
    node.expr.type === 'number' || node.expr.type === 'single_quote_string' ? String(node.expr['value']) : '';
  const iv = parseInterval(amount, node.unit ?? '');
  if (!iv) {
    throw new PlanError(
      `INTERVAL '${amount}' ${node.unit ?? ''} is not supported${scope.src.at(scope.src.findKeyword('interval', 0, scope.range))}; use INTERVAL 'n' DAY, MONTH or YEAR`,
    );
  }
  return { kind: 'interval', interval: iv, name: `INTERVAL '${iv.amount}' ${iv.unit.toUpperCase()}` };
}

function bindNot(arg: AstExpr, scope: BindScope): BoundValue {
  const a = bindValue(arg, scope);
  const name = `(NOT ${a.name})`;
  requireBool(a, scope, scope.range?.start, name);
  return { kind: 'value', expr: Object.freeze({ kind: 'not', arg: a.expr }), name };
}

function bindBinary(node: AstBinary, scope: BindScope): Bound {
  const op = node.operator.toUpperCase();
  const at = node.loc?.start.offset;
  const cmp = COMPARISONS[op];
  if (cmp) return bindComparison(cmp, bindValue(node.left, scope), bindValue(node.right, scope), scope, at);
  switch (op) {
    case 'AND':
    case 'OR':
      return bindLogical(
        op === 'AND' ? 'and' : 'or',
        bindValue(node.left, scope),
        bindValue(node.right, scope),
        scope,
        at,
      );
    case '+':
    case '-':
    case '*':
    case '/':
      return bindArithmetic(op, bindExpr(node.left, scope), bindExpr(node.right, scope), scope, at);
    case 'BETWEEN':
    case 'NOT BETWEEN': {
      const bounds = (node.right as AstExprList).value;
      const arg = bindValue(node.left, scope);
      let low = bindValue(bounds[0]!, scope);
      let high = bindValue(bounds[1]!, scope);
      let name = `(${arg.name} BETWEEN ${low.name} AND ${high.name})`;
      [, low] = coerceComparable(arg, low, scope, at, name);
      [, high] = coerceComparable(arg, high, scope, at, name);
      const negated = op === 'NOT BETWEEN';
      if (negated) name = `(NOT ${name})`;
      return {
        kind: 'value',
        expr: Object.freeze({ kind: 'between', arg: arg.expr, low: low.expr, high: high.expr, negated }),
        name,
      };
    }
    case 'IN':
    case 'NOT IN':
      return bindIn(node, op === 'NOT IN', scope);
    case 'LIKE':
    case 'NOT LIKE': {
      const arg = bindValue(node.left, scope);
      const negated = op === 'NOT LIKE';
      if (node.right.type !== 'single_quote_string' && node.right.type !== 'string') {
        throw new PlanError(`LIKE needs a quoted pattern${scope.src.at(at)}`);
      }
      if (node.right['escape'])
        throw new PlanError(
          `LIKE ... ESCAPE is not supported yet${scope.src.at(scope.src.findKeyword('escape'))}`,
        );
      const pattern = String(node.right['value']).replace(/''/g, "'");
      const name = `(${arg.name} ${negated ? '!~~' : '~~'} '${pattern.replace(/'/g, "''")}')`;
      if (typeOf(arg, scope) !== 'utf8') {
        throw new InvalidArgumentError(
          `LIKE needs text but ${arg.name} is ${typeOf(arg, scope)}${scope.src.at(at)}`,
        );
      }
      return { kind: 'value', expr: Object.freeze({ kind: 'like', arg: arg.expr, pattern, negated }), name };
    }
    case 'IS':
    case 'IS NOT': {
      if (node.right.type !== 'null') {
        throw new PlanError(
          `${op} ${String(node.right['value']).toUpperCase()} is not supported${scope.src.at(at)}; only IS [NOT] NULL`,
        );
      }
      const arg = bindValue(node.left, scope);
      const negated = op === 'IS NOT';
      const name = `(${arg.name} IS ${negated ? 'NOT ' : ''}NULL)`;
      return { kind: 'value', expr: Object.freeze({ kind: 'isNull', arg: arg.expr, negated }), name };
    }
    default:
      throw new PlanError(`operator ${node.operator} is not supported${scope.src.at(at)}`);
  }
}

function bindIn(node: AstBinary, negated: boolean, scope: BindScope): BoundValue {
  const at = node.loc?.start.offset;
  const arg = bindValue(node.left, scope);
  const items = node.right.type === 'expr_list' ? (node.right as AstExprList).value : [node.right];
  const bound = items.map((item) => {
    if ('ast' in item)
      throw new PlanError(
        `IN (subquery) is not supported yet${scope.src.at(scope.src.findKeyword('select', 1))}`,
      );
    return bindValue(item, scope);
  });
  const name = `(${arg.name} ${negated ? 'NOT IN' : 'IN'} (${bound.map((b) => b.name).join(', ')}))`;
  const list = bound.map((b) => {
    const [, coerced] = coerceComparable(arg, b, scope, at, name);
    if (coerced.expr.kind !== 'literal') {
      throw new PlanError(`IN lists must hold constants; ${b.name} is not one${scope.src.at(at)}`);
    }
    return coerced.expr;
  });
  return { kind: 'value', expr: Object.freeze({ kind: 'in', arg: arg.expr, list, negated }), name };
}

function bindFunction(node: AstFunction, scope: BindScope): Bound {
  const name = node.name.name.map((p) => p.value).join('.');
  const at = node.loc?.start.offset;
  const args = node.args?.value ?? [];
  if (name.toLowerCase() === 'not' && args.length === 1) return bindNot(args[0]!, scope);
  if (name.toLowerCase() === 'exists') {
    throw new PlanError(`EXISTS (subquery) is not supported yet${scope.src.at(at)}`);
  }
  if (node.over) throw new PlanError(`window functions are not supported yet${scope.src.at(at)}`);
  const udf = scope.functions?.find(name);
  if (!udf) throw unknownFunctionError(name, scope, at);
  if (udf.kind === 'aggregate') {
    const argScope = aggregateArgScope(scope, at);
    const bound = args.map((a) => bindValue(a, argScope));
    return bindAggregateUdf(udf, bound, scope, argScope, at);
  }
  const bound = args.map((a) => bindValue(a, scope));
  return bindUdfCall(udf, bound, scope, at);
}

function bindAggregate(node: AstAggregate, scope: BindScope): BoundValue {
  const at = node.loc?.start.offset ?? scope.src.findCall(node.name, scope.range);
  const upper = node.name.toUpperCase();
  const fn = AGGREGATES[upper];
  if (node.over)
    throw new PlanError(
      `window functions are not supported yet${scope.src.at(scope.src.findKeyword('over'))}`,
    );
  if (!fn) {
    throw new PlanError(
      `aggregate function ${node.name.toLowerCase()}() is not supported${scope.src.at(at)}; supported: count, sum, avg, min, max`,
    );
  }
  if (node.args.distinct)
    throw new PlanError(`${upper}(DISTINCT ...) is not supported yet${scope.src.at(at)}`);
  if (node.filter)
    throw new PlanError(`aggregate FILTER (WHERE ...) is not supported yet${scope.src.at(at)}`);
  if (!scope.aggregates) {
    const where =
      scope.clause === 'an aggregate argument'
        ? 'aggregate functions cannot be nested'
        : `aggregate functions are not allowed in ${scope.clause}`;
    throw new InvalidArgumentError(`${where}${scope.src.at(at)}`);
  }
  const argNode = node.args.expr;
  if (
    argNode.type === 'star' ||
    (argNode.type === 'column_ref' && (argNode as AstColumnRef).column === '*')
  ) {
    if (fn !== 'count')
      throw new InvalidArgumentError(`${upper}(*) is not valid; only COUNT(*)${scope.src.at(at)}`);
    return {
      kind: 'value',
      expr: scope.aggregates.add('count', null, null, 'count_star()'),
      name: 'count_star()',
    };
  }
  const argScope: BindScope = { ...scope, aggregates: null, clause: 'an aggregate argument' };
  const arg = bindValue(node.args.expr, argScope);
  const display = `${fn}(${arg.name})`;
  if (fn === 'sum' || fn === 'avg') requireNumeric(arg, argScope, at, display);
  const argType = exprType(arg.expr, scopeTypes(argScope));
  return { kind: 'value', expr: scope.aggregates.add(fn, arg.expr, argType, display), name: display };
}
