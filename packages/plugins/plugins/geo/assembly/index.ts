// geo: great-circle (haversine) distance in kilometres, over whole Arrow batches of float64
// degrees. ABI as in hash64/assembly/index.ts (packages/plugins/src/udf-abi.ts): columns by
// pointer (values, validity), row count, result values + validity; returns the null count.
// Any null input gives a null output.

export const ABI_VERSION: i32 = 1;

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM: f64 = 6371.0088;
const RAD: f64 = Math.PI / 180.0;

@inline function isValid(validity: usize, i: i32): bool {
  return validity == 0 || ((load<u8>(validity + (<usize>i >> 3)) >> (<u8>i & 7)) & 1) != 0;
}

@inline function setValid(validity: usize, i: i32): void {
  const p = validity + (<usize>i >> 3);
  store<u8>(p, load<u8>(p) | (<u8>1 << (<u8>i & 7)));
}

@inline function haversine(lat1: f64, lon1: f64, lat2: f64, lon2: f64): f64 {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dLat * 0.5);
  const s2 = Math.sin(dLon * 0.5);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2.0 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1.0, a)));
}

/** geo_distance(lat1, lon1, lat2, lon2 float64) -> float64 km */
export function geo_distance(
  lat1: usize, lat1V: usize, lon1: usize, lon1V: usize,
  lat2: usize, lat2V: usize, lon2: usize, lon2V: usize,
  n: i32, out: usize, outValid: usize,
): i32 {
  memory.fill(outValid, 0, (<usize>n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    if (!(isValid(lat1V, i) && isValid(lon1V, i) && isValid(lat2V, i) && isValid(lon2V, i))) {
      store<f64>(out + o, 0);
      nulls++;
      continue;
    }
    store<f64>(out + o, haversine(load<f64>(lat1 + o), load<f64>(lon1 + o), load<f64>(lat2 + o), load<f64>(lon2 + o)));
    setValid(outValid, i);
  }
  return nulls;
}

/** geo_distance_to(lat, lon float64, lat0, lon0 float64 constants) -> float64 km from one point */
export function geo_distance_to(
  lat: usize, latV: usize, lon: usize, lonV: usize,
  lat0: usize, lat0V: usize, lon0: usize, lon0V: usize,
  n: i32, out: usize, outValid: usize,
): i32 {
  memory.fill(outValid, 0, (<usize>n + 7) >> 3);
  // A null constant makes every row null.
  const constOk = isValid(lat0V, 0) && isValid(lon0V, 0);
  const la0 = load<f64>(lat0);
  const lo0 = load<f64>(lon0);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    if (!(constOk && isValid(latV, i) && isValid(lonV, i))) {
      store<f64>(out + o, 0);
      nulls++;
      continue;
    }
    store<f64>(out + o, haversine(load<f64>(lat + o), load<f64>(lon + o), la0, lo0));
    setValid(outValid, i);
  }
  return nulls;
}
