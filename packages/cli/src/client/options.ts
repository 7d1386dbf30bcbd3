/**
 * Names the CLI and the client library accept for placements and result formats, and their
 * mapping to the wire enums. Kept apart from the client so the CLI can validate flags without
 * opening a channel.
 */
import { InvalidArgumentError, Placement, ResultFormat } from '@pushdown/proto';

export const PLACEMENT_NAMES = ['auto', 'pushdown', 'no-pushdown'] as const;
export type PlacementName = (typeof PLACEMENT_NAMES)[number];

export const RESULT_FORMAT_NAMES = ['arrow', 'csv', 'json'] as const;
export type ResultFormatName = (typeof RESULT_FORMAT_NAMES)[number];

const PLACEMENT_WIRE: Record<PlacementName, Placement> = {
  auto: Placement.PLACEMENT_AUTO,
  pushdown: Placement.PLACEMENT_PUSHDOWN,
  'no-pushdown': Placement.PLACEMENT_NO_PUSHDOWN,
};

const FORMAT_WIRE: Record<ResultFormatName, ResultFormat> = {
  arrow: ResultFormat.RESULT_FORMAT_ARROW,
  csv: ResultFormat.RESULT_FORMAT_CSV,
  json: ResultFormat.RESULT_FORMAT_JSON,
};

export function placementToWire(name: PlacementName): Placement {
  return PLACEMENT_WIRE[name];
}

export function formatToWire(name: ResultFormatName): ResultFormat {
  return FORMAT_WIRE[name];
}

/** `PLACEMENT_NO_PUSHDOWN` (or 2) → `no-pushdown`, for printing stats. */
export function placementFromWire(value: string | number): PlacementName {
  const key = typeof value === 'number' ? Object.values(Placement)[value] : value;
  for (const [name, wire] of Object.entries(PLACEMENT_WIRE)) if (wire === key) return name as PlacementName;
  return 'auto';
}

export function parsePlacement(value: string): PlacementName {
  if ((PLACEMENT_NAMES as readonly string[]).includes(value)) return value as PlacementName;
  throw new InvalidArgumentError(`placement must be one of ${PLACEMENT_NAMES.join(', ')}; got "${value}"`);
}

/** `host:port` with a port in 1..65535; the host may be a name, IPv4 or [IPv6]. */
export function validateAddress(address: string): string {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new InvalidArgumentError(
      `address must look like HOST:PORT (e.g. 127.0.0.1:50051); got "${address}"`,
    );
  }
  return address;
}
