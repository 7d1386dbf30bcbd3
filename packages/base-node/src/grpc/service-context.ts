/** What the BaseNode handlers need from the node that hosts them. */
import type { ObjectStore } from '../storage/object-store.js';

export interface ServiceContext {
  readonly store: ObjectStore;
  readonly nodeId: string;
  readonly version: string;
  readonly cpuQuota: number;
  readonly memoryLimitBytes: number;
  /** Known only once the HTTP server listens, hence a function. */
  httpUrl(): string;
  log(line: string): void;
}
