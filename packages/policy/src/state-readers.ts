import type { ResourceEntry, StackDocument } from './stack-document';
import { isObject } from './values';

/**
 * Where a stack keeps its state, as its `terraform.backend` block says: `s3:<bucket>/<key>` or
 * `local:<path>`, comparable with what a `terraform_remote_state` data source reads.
 */
export function stateLocationOf(stack: StackDocument): string | undefined {
  const backend = (stack.json.terraform as { backend?: Record<string, unknown> } | undefined)?.backend;
  if (!isObject(backend)) return undefined;
  const [type, config] = Object.entries(backend)[0] ?? [];
  return type && isObject(config) ? location(type, config) : undefined;
}

/** The state a `terraform_remote_state` data source reads, in the same form. */
export function remoteStateLocationOf(read: ResourceEntry): string | undefined {
  const config = read.config['config'];
  const backend = read.config['backend'];
  return typeof backend === 'string' && isObject(config) ? location(backend, config) : undefined;
}

function location(type: string, config: Record<string, unknown>): string | undefined {
  if (type === 's3' && typeof config['bucket'] === 'string' && typeof config['key'] === 'string') return `s3:${config['bucket']}/${config['key']}`;
  if (type === 'local' && typeof config['path'] === 'string') return `local:${config['path']}`;
  return undefined;
}
