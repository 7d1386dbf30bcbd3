// Curated exports of engine/src/wasm: the WASM operator host (ABI, module admission, memory).
export {
  ABI_VERSION,
  ARENA_BASE,
  CHUNK_ROWS,
  CMP,
  ARITH,
  GROUP_ACC_COPIES,
  OPERATOR_MODULES,
} from './abi.js';
export type { OperatorModuleName, FilterKernels, ProjectKernels, AggregateKernels } from './abi.js';
export {
  loadOperatorModule,
  admitModule,
  compiledOperatorModule,
  adoptOperatorModule,
} from './module-loader.js';
export type { LoadedModule } from './module-loader.js';
export { OperatorMemory } from './operator-memory.js';
export { OperatorHost, defaultOperatorHost } from './operator-host.js';
export type { OperatorHostOptions } from './operator-host.js';
export { readModuleLayout } from './wasm-sections.js';
export type { ModuleLayout } from './wasm-sections.js';
