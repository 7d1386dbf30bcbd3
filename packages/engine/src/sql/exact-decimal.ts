/**
 * Exact decimal arithmetic for constant folding.
 *
 * DuckDB types `0.06` as DECIMAL(3,2), so `0.06 + 0.01` is exactly 0.07. Folding in binary
 * floating point gives 0.06999999999999999, and `l_discount BETWEEN 0.05 AND 0.07` then drops
 * the rows with l_discount = 0.07 that DuckDB keeps. So literals are folded as scaled BigInts on
 * their source text and turned into a double only once, at the end (correctly rounded).
 */

/** value = digits / 10^scale */
export interface ExactDecimal {
  readonly digits: bigint;
  readonly scale: number;
}

/** Parses `24`, `0.06`, `.5`, `1.5e-3`, `1E3`; undefined for anything else. */
export function parseExactDecimal(text: string): ExactDecimal | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const frac = m[3] ?? '';
  let digits = BigInt(`${m[2] || '0'}${frac}`);
  let scale = frac.length - Number(m[4] ?? '0');
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return normalize({ digits: m[1] === '-' ? -digits : digits, scale });
}

export function addExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  const s = Math.max(a.scale, b.scale);
  return normalize({ digits: rescale(a, s) + rescale(b, s), scale: s });
}

export function subExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return addExact(a, negateExact(b));
}

export function mulExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return normalize({ digits: a.digits * b.digits, scale: a.scale + b.scale });
}

export function negateExact(a: ExactDecimal): ExactDecimal {
  return { digits: -a.digits, scale: a.scale };
}

export function isIntegral(a: ExactDecimal): boolean {
  return a.scale === 0;
}

/** Decimal text, e.g. `0.07`, `-3`, `0.0015`. */
export function exactToString(a: ExactDecimal): string {
  const neg = a.digits < 0n;
  const abs = (neg ? -a.digits : a.digits).toString();
  if (a.scale === 0) return (neg ? '-' : '') + abs;
  const padded = abs.padStart(a.scale + 1, '0');
  return `${neg ? '-' : ''}${padded.slice(0, -a.scale)}.${padded.slice(-a.scale)}`;
}

/** The nearest double (JavaScript's decimal-to-double conversion is correctly rounded). */
export function exactToNumber(a: ExactDecimal): number {
  return Number(exactToString(a));
}

function rescale(a: ExactDecimal, scale: number): bigint {
  return a.digits * 10n ** BigInt(scale - a.scale);
}

/** Drops trailing fractional zeros so equal values have one form (0.070 → 0.07, 2.0 → 2). */
function normalize(a: ExactDecimal): ExactDecimal {
  let { digits, scale } = a;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  return { digits, scale };
}
