import type { SynthesizedStackJson } from '@crdb-ory/core';
import type { ProviderRequirement } from '@crdb-ory/terraform-harness';

/** A provider a stack requires, with its local name (the `mock_provider` label) and aliases. */
export interface StackProvider extends ProviderRequirement {
  readonly localName: string;
  readonly aliases: readonly string[];
}

/** The providers of `terraform.required_providers`, with the aliases configured in `provider`. */
export function requiredProviders(json: SynthesizedStackJson): StackProvider[] {
  const required = (json.terraform?.['required_providers'] ?? {}) as Record<string, { source?: string; version?: string }>;
  return Object.entries(required).map(([localName, spec]) => {
    const [namespace, type] = sourceParts(spec.source ?? localName);
    return { localName, namespace, type, version: exactVersion(spec.version), aliases: aliasesOf(json, localName) };
  });
}

/** `hashicorp/aws` for display. */
export function providerName(provider: ProviderRequirement): string {
  return `${provider.namespace}/${provider.type}`;
}

/** `aws` -> hashicorp/aws; `ns/type` and `host/ns/type` keep their namespace. */
function sourceParts(source: string): [string, string] {
  const [type = '', namespace = 'hashicorp'] = source.split('/').reverse();
  return [namespace, type];
}

/** cdktf pins exact versions (`5.100.0`); a constraint keeps its first version number. */
function exactVersion(constraint: string | undefined): string {
  return /\d+\.\d+\.\d+/.exec(constraint ?? '')?.[0] ?? '';
}

function aliasesOf(json: SynthesizedStackJson, localName: string): string[] {
  const configs = json.provider?.[localName];
  const list = Array.isArray(configs) ? configs : configs ? [configs] : [];
  return list.map((config) => (config as { alias?: unknown }).alias).filter((alias): alias is string => typeof alias === 'string');
}
