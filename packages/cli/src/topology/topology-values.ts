/**
 * The small parsers a topology validator is made of: each checks one value at a path and fails
 * with a message that names the path, what is expected, and what it got
 * (`baseNodes[1].cpus must be a number > 0 (got "half")`).
 */
import { editDistance } from '@pushdown/proto';

/** Throws with a message; the validator prefixes the source file. */
export type Fail = (message: string) => never;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `"half"`, `-1`, `[1]`: how a bad value is quoted in a message. */
export function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

/** Unknown keys fail loudly and name the key that was probably meant. */
export function checkKeys(
  obj: Record<string, unknown>,
  known: readonly string[],
  at: string,
  fail: Fail,
): void {
  const prefix = at ? `${at}.` : '';
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    fail(
      `unknown key "${prefix}${key}"` +
        (guess
          ? `; did you mean "${prefix}${guess}"?`
          : `; known keys: ${known.map((k) => prefix + k).join(', ')}`),
    );
  }
}

export function port(value: unknown, at: string, fail: Fail): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    return fail(`${at} must be an integer in 0..65535 (0 picks a free port); got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A finite number >= 0 (or > 0 with `positive`); undefined gives `dflt`. */
export function number(
  value: unknown,
  at: string,
  fail: Fail,
  { dflt = 0, positive = false, hint = '' }: { dflt?: number; positive?: boolean; hint?: string } = {},
): number {
  if (value === undefined) return dflt;
  const ok = typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0);
  if (!ok) fail(`${at} must be a number ${positive ? '> 0' : '>= 0'}${hint} (got ${show(value)})`);
  return value as number;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1000 ** 4,
  tib: 1024 ** 4,
};

/**
 * A size in bytes: a number, or a string like `512MiB`, `1.5GB`, `256m` (Docker's k/m/g are
 * binary, like KiB/MiB/GiB). undefined gives `dflt`; 0 means "no limit".
 */
export function size(value: unknown, at: string, fail: Fail, dflt = 0): number {
  if (value === undefined) return dflt;
  const bad = (): never =>
    fail(`${at} must be a size like 512MiB, 1GiB or a number of bytes (0 = no limit) (got ${show(value)})`);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) bad();
    return value;
  }
  if (typeof value !== 'string') return bad();
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
  if (!m || unit === undefined) return bad();
  return Math.round(Number(m[1]) * unit);
}

/** The known key within a plausible typo distance of `key`, if any (case-insensitive). */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}
