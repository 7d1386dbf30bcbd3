// stats: aggregate UDFs over float64 (aggregate-UDF ABI, packages/plugins/src/aggregate-udf-abi.ts).
// The host owns the states: `groups * stateBytes` bytes at `states`, group g at g * stateBytes.
// Every phase covers a whole batch: update folds all rows of a slice (row i into group ids[i],
// skipped when negative or NULL), merge folds other[g] into states[g] for every group.
//
// var_welford / stddev_welford state (24 bytes): n (f64 count), mean, m2 (sum of squared
// deviations). Welford's update is stable where the naive sum-of-squares cancels; Chan et al.'s
// pairwise formula merges two such states. geomean state (16 bytes): n, sum of ln(x).

export const ABI_VERSION: i32 = 1;

@inline function isValid(validity: usize, i: i32): bool {
  return validity == 0 || ((load<u8>(validity + (<usize>i >> 3)) >> (<u8>i & 7)) & 1) != 0;
}

@inline function setValid(validity: usize, i: i32): void {
  const p = validity + (<usize>i >> 3);
  store<u8>(p, load<u8>(p) | (<u8>1 << (<u8>i & 7)));
}

// ---- Welford moments: shared by var_welford and stddev_welford ----

function momentsInit(states: usize, groups: i32): void {
  memory.fill(states, 0, <usize>groups * 24);
}

function momentsUpdate(states: usize, ids: usize, values: usize, validity: usize, rows: i32): void {
  for (let i = 0; i < rows; i++) {
    const g = load<i32>(ids + (<usize>i << 2));
    if (g < 0 || !isValid(validity, i)) continue;
    const s = states + <usize>g * 24;
    const x = load<f64>(values + (<usize>i << 3));
    const n = load<f64>(s) + 1.0;
    const mean = load<f64>(s, 8);
    const d = x - mean;
    const next = mean + d / n;
    store<f64>(s, n);
    store<f64>(s, next, 8);
    store<f64>(s, load<f64>(s, 16) + d * (x - next), 16);
  }
}

function momentsMerge(states: usize, other: usize, groups: i32): void {
  for (let g = 0; g < groups; g++) {
    const a = states + <usize>g * 24;
    const b = other + <usize>g * 24;
    const nb = load<f64>(b);
    if (nb == 0) continue;
    const na = load<f64>(a);
    if (na == 0) {
      memory.copy(a, b, 24);
      continue;
    }
    const n = na + nb;
    const d = load<f64>(b, 8) - load<f64>(a, 8);
    store<f64>(a, n);
    store<f64>(a, load<f64>(a, 8) + (d * nb) / n, 8);
    store<f64>(a, load<f64>(a, 16) + load<f64>(b, 16) + (d * d * na * nb) / n, 16);
  }
}

function momentsFinalize(states: usize, groups: i32, out: usize, outValid: usize, sqrt: bool): i32 {
  memory.fill(outValid, 0, (<usize>groups + 7) >> 3);
  let nulls = 0;
  for (let g = 0; g < groups; g++) {
    const s = states + <usize>g * 24;
    const n = load<f64>(s);
    if (n < 2) {
      store<f64>(out + (<usize>g << 3), 0);
      nulls++;
      continue;
    }
    const v = load<f64>(s, 16) / (n - 1.0);
    store<f64>(out + (<usize>g << 3), sqrt ? Math.sqrt(v) : v);
    setValid(outValid, g);
  }
  return nulls;
}

export function var_welford_init(states: usize, groups: i32): void {
  momentsInit(states, groups);
}
export function var_welford_update(states: usize, ids: usize, x: usize, xV: usize, rows: i32): void {
  momentsUpdate(states, ids, x, xV, rows);
}
export function var_welford_merge(states: usize, other: usize, groups: i32): void {
  momentsMerge(states, other, groups);
}
export function var_welford_finalize(states: usize, groups: i32, out: usize, outValid: usize): i32 {
  return momentsFinalize(states, groups, out, outValid, false);
}

export function stddev_welford_init(states: usize, groups: i32): void {
  momentsInit(states, groups);
}
export function stddev_welford_update(states: usize, ids: usize, x: usize, xV: usize, rows: i32): void {
  momentsUpdate(states, ids, x, xV, rows);
}
export function stddev_welford_merge(states: usize, other: usize, groups: i32): void {
  momentsMerge(states, other, groups);
}
export function stddev_welford_finalize(states: usize, groups: i32, out: usize, outValid: usize): i32 {
  return momentsFinalize(states, groups, out, outValid, true);
}

// ---- geomean: exp of the mean of ln(x) ----

export function geomean_init(states: usize, groups: i32): void {
  memory.fill(states, 0, <usize>groups * 16);
}

export function geomean_update(states: usize, ids: usize, x: usize, xV: usize, rows: i32): void {
  for (let i = 0; i < rows; i++) {
    const g = load<i32>(ids + (<usize>i << 2));
    if (g < 0 || !isValid(xV, i)) continue;
    const s = states + <usize>g * 16;
    store<f64>(s, load<f64>(s) + 1.0);
    store<f64>(s, load<f64>(s, 8) + Math.log(load<f64>(x + (<usize>i << 3))), 8);
  }
}

export function geomean_merge(states: usize, other: usize, groups: i32): void {
  for (let g = 0; g < groups; g++) {
    const a = states + <usize>g * 16;
    const b = other + <usize>g * 16;
    store<f64>(a, load<f64>(a) + load<f64>(b));
    store<f64>(a, load<f64>(a, 8) + load<f64>(b, 8), 8);
  }
}

export function geomean_finalize(states: usize, groups: i32, out: usize, outValid: usize): i32 {
  memory.fill(outValid, 0, (<usize>groups + 7) >> 3);
  let nulls = 0;
  for (let g = 0; g < groups; g++) {
    const s = states + <usize>g * 16;
    const n = load<f64>(s);
    if (n == 0) {
      store<f64>(out + (<usize>g << 3), 0);
      nulls++;
      continue;
    }
    store<f64>(out + (<usize>g << 3), Math.exp(load<f64>(s, 8) / n));
    setValid(outValid, g);
  }
  return nulls;
}
