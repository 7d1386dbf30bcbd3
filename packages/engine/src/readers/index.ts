// Curated exports of engine/src/readers (owned by whoever builds readers). Explicit names, no export *.
export {};
export type { ObjectReader, ScanOptions, ScanCounters } from './object-reader.js';
export { newScanCounters } from './object-reader.js';
