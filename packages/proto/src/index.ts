/**
 * @pushdown/proto: the pushdown.v1 wire contract.
 */

// ---- errors ----
export * from './errors.js';
