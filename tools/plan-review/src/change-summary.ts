import type { ResourceChange } from '@crdb-ory/core/terraform';
import { renderAttributePath } from './attribute-path';

/** The attributes that force a replacement, rendered: `user_data_base64`, `root_block_device[0].volume_size`. */
export function forcingAttributes(change: ResourceChange): string[] {
  return change.replacePaths.map(renderAttributePath);
}

/** `aws_instance.x will be replaced (forced by user_data_base64; replace_because_cannot_update)`, `... will be destroyed`. */
export function describeRemoval(change: ResourceChange): string {
  const verb = change.kind === 'replace' ? 'replaced' : 'destroyed';
  const details = [...(forcingAttributes(change).length > 0 ? [`forced by ${forcingAttributes(change).join(', ')}`] : []), ...(change.actionReason ? [change.actionReason] : [])];
  return `${change.address} will be ${verb}${details.length > 0 ? ` (${details.join('; ')})` : ''}`;
}
