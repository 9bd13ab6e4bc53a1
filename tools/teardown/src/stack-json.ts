import { type SynthesizedResource, type SynthesizedStackJson, resourcesOfType } from '@crdb-ory/core';

/** Every managed resource of the stack, with its address. */
export function managedResources(json: SynthesizedStackJson): SynthesizedResource[] {
  return Object.keys(json.resource ?? {}).flatMap((type) => resourcesOfType(json, type));
}

/** True when `value` (any JSON) holds a Terraform reference to `address` (`${aws_kms_key.x.arn}`). */
export function refersTo(value: unknown, address: string): boolean {
  return new RegExp(`(?<![\\w.-])${address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`).test(JSON.stringify(value ?? null));
}

/** A nested block as cdktf writes it: an object, or a list of objects. */
export function blocks(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
  return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
}

/**
 * A name as the JSON writes it, for people: Terraform references become placeholders
 * (`crdb-ory-backups-${data.aws_caller_identity.account.account_id}-...` is `crdb-ory-backups-<account>-<region>`).
 */
export function displayName(text: string): string {
  return text
    .replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, '<account>')
    .replace(/\$\{data\.aws_region\.[\w-]+\.(?:name|region)\}/g, '<region>')
    .replace(/\$\{[^}]*\}/g, '<computed>');
}
