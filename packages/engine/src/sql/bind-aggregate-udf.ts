/**
 * Binds calls of aggregate UDFs (plugins of kind `aggregate-udf`): `var_welford(l_extendedprice)`
 * becomes one aggregate call like SUM's, planned as a partial state at the base node and merged at
 * the intermediary. Types come from the manifest (numbers widen as for scalar UDFs). The engine
 * passes one argument column for now; the ABI itself allows several.
 */
import { InvalidArgumentError, PlanError } from '@pushdown/proto';
import type { UdfFunction } from '@pushdown/plugins';
import type { AggregateUdfRef } from '../plan/aggregate.js';
import { SQL_TYPE_NAMES } from './bind-cast.js';
import { coerceArg } from './bind-call.js';
import { typeOf } from './bind-operators.js';
import { scopeTypes, type BindScope, type BoundValue } from './bind-scope.js';
import { exprType } from './expr-type.js';

/**
 * The scope an aggregate's arguments bind in (no aggregates inside), or the error for an
 * aggregate where none may stand (WHERE, GROUP BY, inside another aggregate).
 */
export function aggregateArgScope(scope: BindScope, at: number | undefined): BindScope {
  if (!scope.aggregates) {
    const where =
      scope.clause === 'an aggregate argument'
        ? 'aggregate functions cannot be nested'
        : `aggregate functions are not allowed in ${scope.clause}`;
    throw new InvalidArgumentError(`${where}${scope.src.at(at)}`);
  }
  return { ...scope, aggregates: null, clause: 'an aggregate argument' };
}

export function bindAggregateUdf(
  fn: UdfFunction,
  args: readonly BoundValue[],
  scope: BindScope,
  argScope: BindScope,
  at: number | undefined,
): BoundValue {
  const signature = `${fn.name}(${fn.args.map((t) => SQL_TYPE_NAMES[t]).join(', ')})`;
  if (args.length !== fn.args.length) {
    throw new InvalidArgumentError(
      `${fn.name}() takes ${fn.args.length} argument${fn.args.length === 1 ? '' : 's'}, got ${args.length}${scope.src.at(at)}; aggregate ${signature} from plugin ${fn.plugin}`,
    );
  }
  if (args.length !== 1 || fn.stateBytes === undefined) {
    throw new PlanError(
      `aggregate ${signature} from plugin ${fn.plugin} takes ${args.length} arguments; aggregate UDFs of one argument are supported so far${scope.src.at(at)}`,
    );
  }
  const a = args[0]!;
  const want = fn.args[0]!;
  const arg = coerceArg(a.expr, typeOf(a, argScope), want);
  if (!arg) {
    throw new InvalidArgumentError(
      `argument 1 of ${fn.name}() must be ${SQL_TYPE_NAMES[want]}, but ${a.name} is ${SQL_TYPE_NAMES[typeOf(a, argScope)]}${scope.src.at(at)}; aggregate ${signature}`,
    );
  }
  const udf: AggregateUdfRef = Object.freeze({
    plugin: fn.plugin,
    function: fn.name,
    result: fn.result,
    stateBytes: fn.stateBytes,
  });
  const display = `${fn.name}(${a.name})`;
  const argType = exprType(arg, scopeTypes(argScope));
  return { kind: 'value', expr: scope.aggregates!.add('udf', arg, argType, display, udf), name: display };
}
