/**
 * Guest path handling, kept apart so the filesystem, snapshots and tests agree on one rule: a
 * path is a list of plain names; `.` is dropped, and `..` may not climb above the folder it is
 * resolved against (no host path is ever reachable, so climbing out has no meaning but escape).
 */

/**
 * The canonical absolute form of an absolute guest path (`/scratch/a/../b` → `/scratch/b`), or
 * undefined when it is not absolute, climbs above `/`, or holds a NUL.
 */
export function normalizeGuestPath(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts = resolveRelative([], path.slice(1));
  return parts === undefined ? undefined : '/' + parts.join('/');
}

/**
 * Resolves `rel` (as a guest passes it to path_open: relative to a preopened folder) against the
 * names of `base`. Returns undefined when it is absolute, climbs above `base`'s root, or holds a
 * NUL byte: WASI hosts answer those with NOTCAPABLE. Like openat2's RESOLVE_BENEATH, `..` never
 * goes above `base` even when `base` is a subfolder. Repeated and trailing slashes are allowed.
 */
export function resolveRelative(base: readonly string[], rel: string): string[] | undefined {
  if (rel.includes('\0') || rel.startsWith('/')) return undefined;
  const out = [...base];
  const floor = base.length;
  for (const name of rel.split('/')) {
    if (name === '' || name === '.') continue;
    if (name === '..') {
      if (out.length <= floor) return undefined;
      out.pop();
      continue;
    }
    out.push(name);
  }
  return out;
}
