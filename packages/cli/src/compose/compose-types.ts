/**
 * The slice of the Compose specification (https://compose-spec.io) that `pushdown compose`
 * writes. Tests validate the output against the specification's own JSON schema, so these
 * types only need to keep the generator honest, not to describe all of Compose.
 */

export interface ComposeHealthcheck {
  test: string[];
  interval: string;
  timeout: string;
  retries: number;
  start_period: string;
}

export interface ComposeDependency {
  condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
}

export interface ComposeBuild {
  context: string;
  dockerfile: string;
}

export interface ComposeService {
  image: string;
  build: ComposeBuild;
  depends_on?: Record<string, ComposeDependency>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  command: string[];
  restart: 'no' | 'unless-stopped';
  healthcheck?: ComposeHealthcheck;
  /** Docker enforces both through the container's cgroup (CFS quota and memory.max). */
  cpus?: number;
  mem_limit?: string;
  /** Compose's own labels for where a service came from; not read by pushdown. */
  labels?: Record<string, string>;
}

export interface ComposeFile {
  name: string;
  services: Record<string, ComposeService>;
  volumes: Record<string, Record<string, never>>;
}
