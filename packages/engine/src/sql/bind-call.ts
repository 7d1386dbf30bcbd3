/**
 * Binds calls of scalar UDFs: the name resolves against the function catalog built from the
 * plugin registry, argument types come from the plugin's manifest (numbers widen, NULL and date
 * strings take the wanted type), and `constArgs` must be literals because the plugin receives
 * them as one-row columns.
 */
import { InvalidArgumentError, PlanError } from '@pushdown/proto';
import {
  functionCatalog,
  libraryGeneration,
  type FunctionCatalog,
  type UdfFunction,
} from '@pushdown/plugins';
import { lit, type Call, type Expr } from '../plan/expr.js';
import { isNumericType, type DataType } from '../plan/types.js';
import { SQL_TYPE_NAMES } from './bind-cast.js';
import { closestName, type BindScope, type BoundValue } from './bind-scope.js';
import { typeOf } from './bind-operators.js';
import { parseDateLiteral } from './date-literal.js';

/** Built-in functions, so "did you mean" can suggest them too. */
const BUILTIN_FUNCTIONS = ['count', 'sum', 'avg', 'min', 'max', 'cast'];

const EMPTY: FunctionCatalog = { find: () => undefined, names: () => [] };
let defaultCatalog: FunctionCatalog | undefined;
let catalogGeneration = -1;

/**
 * The plugin library's functions, read again whenever the library changed (a plugin installed
 * or removed at runtime); an unbuilt registry has none (and names no functions).
 */
export function defaultFunctionCatalog(): FunctionCatalog {
  if (!defaultCatalog || catalogGeneration !== libraryGeneration()) {
    catalogGeneration = libraryGeneration();
    try {
      defaultCatalog = functionCatalog();
    } catch {
      defaultCatalog = EMPTY;
    }
  }
  return defaultCatalog;
}

/** The error for a function that is neither built in nor in the catalog. */
export function unknownFunctionError(name: string, scope: BindScope, at: number | undefined): PlanError {
  const names = [...BUILTIN_FUNCTIONS, ...(scope.functions?.names() ?? [])];
  const close = closestName(name.toLowerCase(), names);
  return new PlanError(
    `function ${name}() is not supported${scope.src.at(at)}` +
      (close ? `; did you mean ${close}()?` : '') +
      `; supported functions: ${names.join(', ')}`,
  );
}

export function bindUdfCall(
  fn: UdfFunction,
  args: readonly BoundValue[],
  scope: BindScope,
  at: number | undefined,
): BoundValue {
  const signature = `${fn.name}(${fn.args.map((t) => SQL_TYPE_NAMES[t]).join(', ')})`;
  if (args.length !== fn.args.length) {
    throw new InvalidArgumentError(
      `${fn.name}() takes ${fn.args.length} argument${fn.args.length === 1 ? '' : 's'}, got ${args.length}${scope.src.at(at)}; ${signature} from plugin ${fn.plugin}`,
    );
  }
  const exprs = args.map((a, i) => {
    const want = fn.args[i]!;
    const e = coerceArg(a.expr, typeOf(a, scope), want);
    if (!e) {
      throw new InvalidArgumentError(
        `argument ${i + 1} of ${fn.name}() must be ${SQL_TYPE_NAMES[want]}, but ${a.name} is ${SQL_TYPE_NAMES[typeOf(a, scope)]}${scope.src.at(at)}; ${signature}`,
      );
    }
    if (fn.constArgs.includes(i) && e.kind !== 'literal') {
      throw new InvalidArgumentError(
        `argument ${i + 1} of ${fn.name}() must be a constant, but ${a.name} is not${scope.src.at(at)}; ${signature}`,
      );
    }
    return e;
  });
  const call: Call = Object.freeze({
    kind: 'call',
    name: fn.name,
    plugin: fn.plugin,
    args: Object.freeze(exprs),
    type: fn.result,
  });
  return { kind: 'value', expr: call, name: `${fn.name}(${args.map((a) => a.name).join(', ')})` };
}

/** `e` as a value of type `want`, or undefined when the types do not fit. */
export function coerceArg(e: Expr, from: DataType, want: DataType): Expr | undefined {
  if (from === want) return e;
  if (e.kind === 'literal') {
    if (e.value === null) return lit(null, want);
    if (want === 'float64' && isNumericType(from)) return lit(Number(e.value), want);
    if (want === 'date32' && from === 'utf8') {
      const days = parseDateLiteral(String(e.value));
      return days === undefined ? undefined : lit(days, want);
    }
  }
  const widens = (want === 'float64' && isNumericType(from)) || (want === 'int64' && from === 'int32');
  return widens ? Object.freeze({ kind: 'cast', arg: e, to: want }) : undefined;
}
