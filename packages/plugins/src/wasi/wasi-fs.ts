/**
 * The in-memory filesystem behind the WASI host: a tree with two mounts, `/data` (read-only,
 * holding the caller's Uint8Arrays without copying) and `/scratch` (writable, bounded). Nothing
 * else exists, so there is no host path a guest could reach. Paths here are arrays of names from
 * the invisible root (`['scratch', 'a.bin']`); the WASI call layer resolves guest strings first.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import { ERRNO, type Errno } from './wasi-abi.js';
import { normalizeGuestPath } from './wasi-paths.js';

export interface FileNode {
  kind: 'file';
  ino: number;
  readOnly: boolean;
  /** Bytes [0, size) are the content; scratch files keep spare capacity beyond it. */
  data: Uint8Array;
  size: number;
  mtimeNs: bigint;
  /** Open fds on it; an unlinked file's bytes stay counted against the limit until the last closes. */
  openCount: number;
  linked: boolean;
}
export interface DirNode {
  kind: 'dir';
  ino: number;
  readOnly: boolean;
  entries: Map<string, FsNode>;
  mtimeNs: bigint;
}
export type FsNode = FileNode | DirNode;

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

export class MemFs {
  readonly root: DirNode;
  /** Bytes of file content under /scratch (plus unlinked files still open). */
  used = 0;
  private nextIno = 1;

  constructor(
    readOnly: Readonly<Record<string, Uint8Array>>,
    scratch: ReadonlyMap<string, Uint8Array>,
    readonly limit: number,
  ) {
    this.root = this.dir(true);
    this.root.entries.set('data', this.dir(true));
    this.root.entries.set('scratch', this.dir(false));
    for (const [path, bytes] of Object.entries(readOnly)) this.mount(path, 'data', bytes, true);
    for (const [path, bytes] of scratch) this.mount(path, 'scratch', bytes.slice(), false);
  }

  dir(readOnly: boolean): DirNode {
    return { kind: 'dir', ino: this.nextIno++, readOnly, entries: new Map(), mtimeNs: nowNs() };
  }

  file(readOnly: boolean, data: Uint8Array): FileNode {
    const ino = this.nextIno++;
    return {
      kind: 'file',
      ino,
      readOnly,
      data,
      size: data.length,
      mtimeNs: nowNs(),
      openCount: 0,
      linked: true,
    };
  }

  private mount(path: string, top: 'data' | 'scratch', bytes: Uint8Array, readOnly: boolean): void {
    const names = normalizeGuestPath(path)?.slice(1).split('/');
    if (!names || names[0] !== top || names.length < 2) {
      throw new InvalidArgumentError(`WASI mount: "${path}" is not a file path under /${top}`);
    }
    let dir = this.root;
    for (const name of names.slice(0, -1)) {
      const next = dir.entries.get(name) ?? this.dir(readOnly);
      if (next.kind !== 'dir') throw new InvalidArgumentError(`WASI mount: "${path}" runs through a file`);
      dir.entries.set(name, next);
      dir = next;
    }
    dir.entries.set(names.at(-1)!, this.file(readOnly, bytes));
    if (!readOnly) this.used += bytes.length;
  }

  /** The node at `names`, or the errno a lookup gets (NOENT, NOTDIR through a file). */
  lookup(names: readonly string[]): FsNode | Errno {
    let node: FsNode = this.root;
    for (const name of names) {
      if (node.kind !== 'dir') return ERRNO.NOTDIR;
      const next = node.entries.get(name);
      if (!next) return ERRNO.NOENT;
      node = next;
    }
    return node;
  }

  /**
   * Writes `bytes` at `pos`, growing the file; past the scratch limit it writes what fits (a short
   * write, as POSIX does), and NOSPC when nothing fits.
   */
  writeAt(node: FileNode, pos: number, bytes: Uint8Array): { written: number } | { errno: Errno } {
    if (node.readOnly) return { errno: ERRNO.ROFS };
    const end = pos + bytes.length;
    const growth = Math.max(0, end - node.size);
    const room = this.limit - this.used;
    let n = bytes.length;
    if (growth > room) {
      n = Math.max(0, node.size + room - pos);
      if (n === 0 && bytes.length > 0) return { errno: ERRNO.NOSPC };
    }
    const err = this.setSize(node, Math.max(node.size, pos + n));
    if (err !== ERRNO.SUCCESS) return { errno: err };
    node.data.set(bytes.subarray(0, n), pos);
    node.mtimeNs = nowNs();
    return { written: n };
  }

  /** Truncates or zero-extends a scratch file, keeping `used` exact. */
  setSize(node: FileNode, size: number): Errno {
    if (node.readOnly) return ERRNO.ROFS;
    if (size > node.size && size - node.size > this.limit - this.used) return ERRNO.NOSPC;
    if (size > node.data.length) {
      // Double for amortised appends, but never past the largest size the limit still allows.
      const reachable = node.size + (this.limit - this.used);
      const grown = new Uint8Array(Math.max(size, Math.min(node.data.length * 2, reachable)));
      grown.set(node.data.subarray(0, node.size));
      node.data = grown;
    } else if (size < node.size) {
      node.data.fill(0, size, node.size); // a later extension must read zeros, not old bytes
    }
    this.used += size - node.size;
    node.size = size;
    node.mtimeNs = nowNs();
    return ERRNO.SUCCESS;
  }

  /** Called when a file leaves the tree or its last fd closes: unlinked and unopened frees bytes. */
  release(node: FileNode): void {
    if (!node.linked && node.openCount === 0 && !node.readOnly) {
      this.used -= node.size;
      node.size = 0;
      node.data = new Uint8Array(0);
    }
  }

  /** Every file under /scratch as guest path → a copy of its bytes. */
  scratchFiles(): Map<string, Uint8Array> {
    const out = new Map<string, Uint8Array>();
    const walk = (dir: DirNode, prefix: string): void => {
      for (const [name, node] of dir.entries) {
        if (node.kind === 'dir') walk(node, `${prefix}/${name}`);
        else out.set(`${prefix}/${name}`, node.data.slice(0, node.size));
      }
    };
    walk(this.root.entries.get('scratch') as DirNode, '/scratch');
    return out;
  }
}
