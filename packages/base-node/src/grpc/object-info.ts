/** ObjectMeta (store) → ObjectInfo (wire). */
import type { ObjectInfo } from '@pushdown/proto';
import type { ObjectMeta } from '../storage/object-meta.js';
import { schemaToJson } from '@pushdown/engine';

export function toObjectInfo(meta: ObjectMeta): ObjectInfo {
  return {
    table: meta.table,
    name: meta.name,
    size: meta.size,
    sha256: meta.sha256,
    format: meta.format,
    modifiedMs: meta.modifiedMs,
    schemaJson: schemaToJson(meta.schema),
    numRows: meta.numRows ?? -1,
  };
}
