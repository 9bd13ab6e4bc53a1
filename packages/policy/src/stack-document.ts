import type { SynthesizedStackJson, TerraformReference } from '@crdb-ory/core';
import type { PublicIngressDeclaration } from './annotations';

/** One resource (or data source) of a synthesized stack. */
export interface ResourceEntry {
  /** `aws_security_group` */
  readonly type: string;
  /** The Terraform name (cdktf's logical id). */
  readonly name: string;
  /** `aws_security_group.name`, or `data.<type>.<name>` for data sources. */
  readonly address: string;
  readonly constructPath: string;
  /** The resource's arguments, resolved (references are `${...}` strings). */
  readonly config: Record<string, unknown>;
}

/**
 * Read access to a stack's resolved Terraform JSON for rules: resources by type, construct
 * paths, and references to other resources of the same stack.
 */
export class StackDocument {
  constructor(
    readonly stackName: string,
    readonly json: SynthesizedStackJson,
    /** Ports declared public with `declarePublicIngress`, by construct. */
    readonly publicIngress: readonly PublicIngressDeclaration[] = [],
  ) {}

  /** Every resource of one of `types`, in JSON order. */
  resources(...types: string[]): ResourceEntry[] {
    return types.flatMap((type) => entries(this.json.resource?.[type], type, type));
  }

  /** Every data source of the stack (addresses `data.<type>.<name>`). */
  dataSources(): ResourceEntry[] {
    return Object.entries(this.json.data ?? {}).flatMap(([type, byName]) => entries(byName, type, `data.${type}`));
  }

  /** Every managed resource of the stack. */
  allResources(): ResourceEntry[] {
    return Object.keys(this.json.resource ?? {}).flatMap((type) => this.resources(type));
  }

  /** The same-stack managed resource a reference (core's `referenceOf`) points at, if any. */
  referencedResource(reference: TerraformReference | undefined): ResourceEntry | undefined {
    if (reference?.mode !== 'managed') return undefined;
    return this.resources(reference.type).find((entry) => entry.name === reference.name);
  }
}

function entries(byName: Record<string, Record<string, unknown>> | undefined, type: string, prefix: string): ResourceEntry[] {
  return Object.entries(byName ?? {}).map(([name, config]) => ({
    type,
    name,
    address: `${prefix}.${name}`,
    constructPath: constructPathOf(config) ?? `${prefix}.${name}`,
    config,
  }));
}

function constructPathOf(config: Record<string, unknown>): string | undefined {
  const meta = config['//'] as { metadata?: { path?: string } } | undefined;
  return meta?.metadata?.path;
}
