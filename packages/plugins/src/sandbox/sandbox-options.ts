/**
 * Options of `PluginSandbox`, their defaults and the validator whose messages tests pin. A
 * misspelled option fails loudly and names the options that exist.
 */
import { InvalidArgumentError } from '@pushdown/proto';
import { MANIFEST_LIMITS } from '../manifest-types.js';

export interface PluginSandboxOptions {
  /** Worker threads in the pool; each runs one call at a time. */
  threads?: number;
  /** Largest result (values plus validity bytes) a call may return. */
  maxOutputBytes?: number;
}

export interface PluginCallOptions {
  /** Overrides the manifest's `limits.timeBudgetMs` for this call. */
  timeBudgetMs?: number;
}

export const SANDBOX_DEFAULTS: Required<PluginSandboxOptions> = {
  threads: 2,
  maxOutputBytes: 64 * 1024 * 1024,
};

const KNOWN = Object.keys(SANDBOX_DEFAULTS);

function positiveInt(value: unknown, name: string, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`${name} must be a positive integer no larger than ${max}`);
  }
}

/** The options with defaults filled in; throws InvalidArgumentError naming the bad option. */
export function sandboxOptions(options: PluginSandboxOptions = {}): Required<PluginSandboxOptions> {
  for (const key of Object.keys(options)) {
    if (!KNOWN.includes(key)) {
      throw new InvalidArgumentError(`unknown sandbox option "${key}"; known options: ${KNOWN.join(', ')}`);
    }
  }
  const full = { ...SANDBOX_DEFAULTS, ...options };
  positiveInt(full.threads, 'options.threads', 64);
  positiveInt(full.maxOutputBytes, 'options.maxOutputBytes', 2 ** 32);
  return full;
}

/** Validates a per-call budget override. */
export function checkTimeBudget(ms: number): void {
  positiveInt(ms, 'options.timeBudgetMs', MANIFEST_LIMITS.maxTimeBudgetMs);
}
