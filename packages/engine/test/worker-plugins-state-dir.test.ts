// Scan workers must use the owner's plugin state folder, so a plugin that persists its scratch
// folder sees one state whichever thread runs it. The worker side runs here in one thread: the
// sync sets the same process-wide setting a worker thread would.
import { configurePluginStateDir, pluginStateDir } from '@pushdown/plugins';
import type { Fragment } from '../src/plan/fragment.js';
import { ownerPlugins, syncWorkerPlugins } from '../src/parallel/worker-plugins.js';

const NO_PLUGINS = {} as Fragment; // no filter, projection or aggregate: calls no UDF

afterEach(() => configurePluginStateDir(undefined));

test('a task carries the state folder even when its fragment calls no plugin', () => {
  expect(ownerPlugins(NO_PLUGINS)).toBeUndefined(); // nothing to tell
  configurePluginStateDir('/srv/b0/plugin-state');
  expect(ownerPlugins(NO_PLUGINS)).toMatchObject({ stateDir: '/srv/b0/plugin-state', sha256: {} });
});

test("the worker takes the owner's folder, and clears its own when the owner has none", () => {
  configurePluginStateDir('/srv/b0/plugin-state');
  const task = ownerPlugins(NO_PLUGINS);
  configurePluginStateDir('/elsewhere'); // what a worker started earlier may hold
  syncWorkerPlugins(task);
  expect(pluginStateDir()).toBe('/srv/b0/plugin-state');
  syncWorkerPlugins({ dirs: [], sha256: {}, stateDir: null });
  expect(pluginStateDir()).toBeUndefined();
  // An owner built before the field existed says nothing: the worker keeps its setting.
  configurePluginStateDir('/kept');
  syncWorkerPlugins({ dirs: [], sha256: {} });
  expect(pluginStateDir()).toBe('/kept');
});
