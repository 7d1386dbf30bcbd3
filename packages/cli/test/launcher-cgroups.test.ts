/**
 * The launcher with real cgroups (this machine lets root write them): a base node at a quarter
 * core calibrates to about a quarter, its quota can be changed live, and every group is gone
 * after stop. And the fallback: a cgroup root that is not a cgroup filesystem gives one warning
 * and an unthrottled run that says so in the state file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupSupport, setNodeCpuQuota } from '../src/index.js';
import { launchTopology } from '../src/topology/launcher.js';
import { defaultServerScripts } from '../src/topology/server-scripts.js';
import { readState } from '../src/topology/state-file.js';

const FAKE = join(import.meta.dirname, 'fixtures', 'fake-server.mjs');
const scripts = { baseNode: defaultServerScripts().baseNode, intermediary: FAKE };
const built = existsSync(scripts.baseNode);

describe('launcher with cgroups', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pushdown-cg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const topology = {
    host: '127.0.0.1',
    baseNodes: [{ id: 'b1', grpcPort: 0, httpPort: 0, cpus: 0.25, memory: 256 * 2 ** 20 }],
    intermediary: { port: 0 },
  };

  it('throttles a node to its quota, changes it live, and removes its cgroups on stop', async () => {
    const support = await cgroupSupport();
    if (!built || support.version === null) {
      console.warn(`skipped: ${built ? support.reason : 'base node not built'}`);
      return;
    }
    const events: string[] = [];
    const launched = await launchTopology({
      dataDir: dir,
      topology,
      scripts,
      calibrateMs: 1000,
      onEvent: (m) => events.push(m),
    });
    const b1 = launched.state.processes.find((p) => p.id === 'b1')!;
    try {
      expect(launched.state.throttling).toEqual({ active: true, version: support.version });
      expect(b1.cgroup?.name).toMatch(/^pushdown-[0-9a-f]{10}-b1$/);
      const effective = b1.limits?.cpuFractionEffective;
      // Never above the quota (plus measurement noise); below it only when the machine is busy.
      expect(effective).toBeLessThanOrEqual(0.25 * 1.15);
      expect(effective).toBeGreaterThan(0.25 * 0.6);
      expect(events.join('\n')).toMatch(/b1 listening .*cpus 0\.25, effective 0\.\d+, memory 256 MiB/);
      const dirs = Object.values(b1.cgroup!.dirs);
      for (const d of dirs) expect(readFileSync(join(d, 'cgroup.procs'), 'utf8')).toContain(String(b1.pid));
      if (b1.cgroup!.version === 1) {
        expect(readFileSync(join(b1.cgroup!.dirs.cpu, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('25000');
        await setNodeCpuQuota(launched.state, 'b1', 0.5);
        expect(readFileSync(join(b1.cgroup!.dirs.cpu, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('50000');
        expect(readFileSync(join(b1.cgroup!.dirs.memory!, 'memory.limit_in_bytes'), 'utf8').trim()).toBe(
          String(256 * 2 ** 20),
        );
      }
      expect((await readState(dir))?.processes[0]?.limits?.cpus).toBe(0.5);
    } finally {
      await launched.stop();
    }
    for (const d of Object.values(b1.cgroup!.dirs)) expect(existsSync(d)).toBe(false);
  }, 40_000);

  it('falls back to an unthrottled run with one clear warning when cgroups cannot be written', async () => {
    const root = join(dir, 'cgroot');
    mkdirSync(join(root, 'cpu'), { recursive: true });
    chmodSync(join(root, 'cpu'), 0o555);
    chmodSync(root, 0o555);
    const events: string[] = [];
    const launched = await launchTopology({
      dataDir: join(dir, 'data'),
      topology,
      scripts: { baseNode: FAKE, intermediary: FAKE },
      cgroupRoot: root,
      onEvent: (m) => events.push(m),
    });
    try {
      const warnings = events.filter((e) => e.startsWith('warning:'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(
        new RegExp(
          `^warning: cannot use cgroups \\(.*${root}.*\\); nodes run UNTHROTTLED: CPU quotas and memory limits are not applied$`,
        ),
      );
      expect(events.join('\n')).toMatch(/b1 listening .*cpus 0\.25 \(NOT enforced\)/);
      const state = await readState(join(dir, 'data'));
      expect(state?.throttling?.active).toBe(false);
      expect(state?.throttling?.reason).toContain('UNTHROTTLED');
      expect(state?.processes.every((p) => p.cgroup === undefined)).toBe(true);
      await expect(setNodeCpuQuota(state!, 'b1', 0.5)).rejects.toThrow(/runs without a cgroup/);
    } finally {
      await launched.stop();
      chmodSync(root, 0o755);
      chmodSync(join(root, 'cpu'), 0o755);
    }
  }, 30_000);
});
