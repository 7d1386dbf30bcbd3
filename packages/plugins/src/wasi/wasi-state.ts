/**
 * The mutable state of one WASI host: its filesystem, its fd table, the guest's memory, captured
 * stdout and stderr, and the exit code. Call implementations (wasi-calls-*.ts) take it as their
 * one argument, so each family of calls stays a separate file.
 *
 * Fd numbering is fixed so hand-written guests can rely on it: 0 stdin (always at EOF), 1 stdout,
 * 2 stderr, 3 the `/data` preopen, 4 the `/scratch` preopen; files opened later take the lowest
 * free number from 5.
 */
import {
  RIGHTS,
  RIGHTS_DIR_READ,
  RIGHTS_DIR_WRITE,
  RIGHTS_FILE_READ,
  RIGHTS_FILE_WRITE,
} from './wasi-abi.js';
import type { DirNode, FsNode, MemFs } from './wasi-fs.js';
import { GuestMemory } from './wasi-memory.js';

export interface OpenFd {
  node: FsNode | 'stdin' | 'stdout' | 'stderr';
  /** Names from the root (`['data', 'object.jsonl']`); empty for stdio. */
  names: string[];
  offset: number;
  rightsBase: bigint;
  rightsInheriting: bigint;
  fdflags: number;
  /** The guest path a preopen is known by (`/data`), reported by fd_prestat_dir_name. */
  preopen?: string;
}

/** Captured stdout/stderr keep at most this much; the rest is counted, not stored. */
const CAPTURE_BYTES = 64 * 1024;

class Capture {
  private chunks: Uint8Array[] = [];
  private kept = 0;
  private dropped = 0;
  add(bytes: Uint8Array): void {
    const n = Math.min(bytes.length, CAPTURE_BYTES - this.kept);
    if (n > 0) this.chunks.push(bytes.slice(0, n));
    this.kept += n;
    this.dropped += bytes.length - n;
  }
  text(): string {
    const all = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped > 0 ? `${all}\n[... ${this.dropped} more bytes not kept]` : all;
  }
}

export class WasiState {
  readonly memory = new GuestMemory();
  readonly fds = new Map<number, OpenFd>();
  readonly out = new Capture();
  readonly err = new Capture();
  exitCode: number | undefined;
  /** Set by a call for trace mode: what it did, decoded (path opened, bytes read). */
  detail: string | undefined;

  constructor(
    readonly fs: MemFs,
    readonly args: readonly string[],
    readonly env: readonly string[],
  ) {
    const std = (node: OpenFd['node'], rights: bigint): OpenFd => ({
      node,
      names: [],
      offset: 0,
      rightsBase: rights,
      rightsInheriting: 0n,
      fdflags: 0,
    });
    this.fds.set(0, std('stdin', RIGHTS.FD_READ));
    this.fds.set(1, std('stdout', RIGHTS.FD_WRITE));
    this.fds.set(2, std('stderr', RIGHTS.FD_WRITE));
    const data = fs.root.entries.get('data') as DirNode;
    const scratch = fs.root.entries.get('scratch') as DirNode;
    this.fds.set(3, {
      node: data,
      names: ['data'],
      offset: 0,
      rightsBase: RIGHTS_DIR_READ,
      rightsInheriting: RIGHTS_DIR_READ | RIGHTS_FILE_READ,
      fdflags: 0,
      preopen: '/data',
    });
    this.fds.set(4, {
      node: scratch,
      names: ['scratch'],
      offset: 0,
      rightsBase: RIGHTS_DIR_WRITE,
      rightsInheriting: RIGHTS_DIR_WRITE | RIGHTS_FILE_WRITE,
      fdflags: 0,
      preopen: '/scratch',
    });
  }

  /** Adds an fd at the lowest free number from 5 (0-4 are fixed). */
  open(entry: OpenFd): number {
    let fd = 5;
    while (this.fds.has(fd)) fd++;
    this.fds.set(fd, entry);
    if (typeof entry.node === 'object' && entry.node.kind === 'file') entry.node.openCount++;
    return fd;
  }

  close(fd: number): void {
    const entry = this.fds.get(fd);
    this.fds.delete(fd);
    if (entry && typeof entry.node === 'object' && entry.node.kind === 'file') {
      entry.node.openCount--;
      this.fs.release(entry.node);
    }
  }
}
