/**
 * run.json: everything needed to reproduce and compare a run: the spec (as written and as
 * resolved), the resolved topology, seeds, calibration, versions, machine, command line, and
 * what went wrong along the way.
 */
import type { Topology } from '../topology/topology.js';
import type { Calibration, ParamChoice } from './calibrate.js';
import type { MachineInfo, Versions } from './run-info.js';
import type { ExperimentSpec } from './spec-types.js';

export interface RunInfo {
  spec: ExperimentSpec;
  specPath: string;
  specText: string;
  topology: Topology;
  versions: Versions;
  machine: MachineInfo;
  commandLine: string[];
  startedAt: string;
  finishedAt: string | null;
  elapsedMs: number | null;
  points: number;
  quickCheck: boolean;
  /** `cgroup` (quota changed live) or why quotas were not applied. */
  quotaMode: string;
  calibration: Calibration;
  processes: { id: string; role: string; pid: number }[];
  /** Where the topology ran (logs are copied into the output folder). */
  dataDir: string;
  /** Where the generated data is cached. */
  dataCache: string;
  warnings: string[];
}

/** JSON text of run.json; Maps (selectivity values, calibration) become objects. */
export function runInfoJson(info: RunInfo): string {
  return `${JSON.stringify(info, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v), 2)}\n`;
}

export function calibrationText(c: Calibration): string[] {
  const lines: string[] = [];
  for (const [query, choices] of c) {
    const parts = [...choices].map(([s, p]: [number, ParamChoice]) =>
      p.actual === null ? `${s}→${p.value}` : `${s}→${p.value} (actual ${p.actual.toFixed(3)})`,
    );
    lines.push(`${query}: ${parts.join(', ')}`);
  }
  return lines;
}
