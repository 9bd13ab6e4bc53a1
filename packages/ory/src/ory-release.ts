import { Release } from '@cdktf/provider-helm/lib/release';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { OryServiceName } from './ory-ports';

/** Ory's chart repository (moved from k8s.ory.sh). */
export const ORY_CHART_REPOSITORY = 'https://k8s.ory.com/helm/charts';
export const ORY_CHART_VERSION = '0.62.1';

export interface OryReleaseProps {
  readonly service: OryServiceName;
  readonly namespace: string;
  readonly chartRepository: string;
  readonly chartVersion: string;
  /** Chart values, rendered to YAML. */
  readonly values: Record<string, unknown>;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Helm values as YAML. Every string is double-quoted because Terraform substitutes references
 * after rendering: an unquoted `${...}` that resolves to `12345` or `true` would change type.
 * No anchors: each value stays readable on its own.
 */
export function renderHelmValues(values: Record<string, unknown>): string {
  return stringify(values, { aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
}

/**
 * A Helm release of one Ory chart. Atomic: a failed migration job (a pre-install/pre-upgrade
 * hook) rolls the release back instead of leaving pods on a half-migrated schema.
 */
export function oryRelease(scope: Construct, props: OryReleaseProps): Release {
  return new Release(scope, props.service, {
    name: props.service,
    repository: props.chartRepository,
    chart: props.service,
    version: props.chartVersion,
    namespace: props.namespace,
    values: [renderHelmValues(props.values)],
    atomic: true,
    cleanupOnFail: true,
    timeout: 900,
    maxHistory: 10,
    dependsOn: props.dependsOn,
  });
}
