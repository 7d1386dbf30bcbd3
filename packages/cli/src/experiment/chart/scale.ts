/**
 * Axis scales for the SVG charts: linear with "nice" ticks (1, 2, 5 × 10^k) or logarithmic
 * with ticks at decades (plus 2 and 5 when the data spans less than two decades).
 */

export interface Scale {
  /** Data value → pixel offset within [0, length]. */
  map(v: number): number;
  ticks: number[];
  log: boolean;
}

export function linearScale(min: number, max: number, length: number, invert = false): Scale {
  let lo = Math.min(min, 0 < min && min < max / 3 ? 0 : min);
  let hi = max;
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / 5);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(roundTo(t, step));
  const span = hi - lo;
  return {
    map: (v) => {
      const f = (v - lo) / span;
      return (invert ? 1 - f : f) * length;
    },
    ticks,
    log: false,
  };
}

export function logScale(min: number, max: number, length: number, invert = false): Scale {
  // Bounds snap to 1, 2 or 5 × 10^k around the data, so a narrow range is not lost in a decade.
  const steps = (e: number) => [1, 2, 5].map((m) => Number((m * 10 ** e).toPrecision(6)));
  const lo = Math.max(...[...steps(Math.floor(Math.log10(min)))].filter((v) => v <= min * (1 + 1e-9)));
  let hi = Math.min(
    ...[...steps(Math.floor(Math.log10(max))), 10 ** (Math.floor(Math.log10(max)) + 1)].filter(
      (v) => v >= max * (1 - 1e-9),
    ),
  );
  if (hi <= lo) hi = lo * 10;
  const decades = Math.log10(hi / lo);
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const t of decades <= 2 ? steps(e) : [Number((10 ** e).toPrecision(6))]) {
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
    }
  }
  const l0 = Math.log10(lo);
  return {
    map: (v) => {
      const f = (Math.log10(v) - l0) / decades;
      return (invert ? 1 - f : f) * length;
    },
    ticks,
    log: true,
  };
}

function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

function roundTo(v: number, step: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(12, digits)));
}

/** Short tick text: 0.25, 10, 1.5k, 2M. */
export function tickText(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim(v / 1e9)}G`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e4) return `${trim(v / 1e3)}k`;
  return trim(v);
}

function trim(v: number): string {
  return String(Number(v.toPrecision(3)));
}
