// Curated exports of engine/src/sql. Explicit names, no export *.
export { parseSql, HIDDEN_SORT_PREFIX } from './parse-sql.js';
export type { Catalog } from './catalog.js';
export { catalogFromSchemas } from './catalog.js';
export { exprType, aggregateType, arithmeticType } from './expr-type.js';
export type { ExprTypeInfo, ColumnTypes } from './expr-type.js';
export { parseDateLiteral, formatDate } from './date-literal.js';
