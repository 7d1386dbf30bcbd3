/** What the BaseNode handlers need from the node that hosts them. */
import type { LinkThrottle } from '../link/link-throttle.js';
import type { ObjectStore } from '../storage/object-store.js';

export interface ServiceContext {
  readonly store: ObjectStore;
  readonly nodeId: string;
  readonly version: string;
  readonly cpuQuota: number;
  /** Scans' default and largest degree of parallelism (from the node's CPU budget). */
  readonly parallelism?: { readonly default: number; readonly max: number };
  readonly memoryLimitBytes: number;
  /** Known only once the HTTP server listens, hence a function. */
  httpUrl(): string;
  log(line: string): void;
  /** Folder of installed plugins (InstallPlugin writes here); none: InstallPlugin is refused. */
  readonly pluginDir?: string;
  /** Emulated link to the intermediary (Scan output goes through it when enabled). */
  readonly link?: LinkThrottle;
}
