import { App, Testing } from 'cdktf';
import { CockroachBackupStack, CockroachBackupStackProps, CockroachPkiStack, CockroachPkiStackProps, CockroachStack, CockroachStackProps } from '../src';

export const COMMON = { region: 'us-east-1', tags: { Project: 'crdb-ory' }, stateBackend: { type: 'local' as const } };

export type Json = Record<string, any>;

export function synthPki(props: Partial<CockroachPkiStackProps> = {}): Json {
  const stack = new CockroachPkiStack(Testing.app(), { ...COMMON, ...props });
  return JSON.parse(Testing.synth(stack));
}

export function synthBackup(props: Partial<CockroachBackupStackProps> = {}): Json {
  return JSON.parse(Testing.synth(new CockroachBackupStack(Testing.app(), { ...COMMON, ...props })));
}

export function buildCluster(props: Partial<CockroachStackProps> = {}): { app: App; stack: CockroachStack; json: Json } {
  const app = Testing.app();
  const stack = new CockroachStack(app, { ...COMMON, ...props });
  return { app, stack, json: JSON.parse(Testing.synth(stack)) };
}

export function synthCluster(props: Partial<CockroachStackProps> = {}): Json {
  return buildCluster(props).json;
}

/** Every resource of `type`, by its synthesized name. */
export function resources(json: Json, type: string): Record<string, Json> {
  return json.resource?.[type] ?? {};
}

export function resourceList(json: Json, type: string): Json[] {
  return Object.values(resources(json, type));
}

/** The single resource of `type` whose name starts with `prefix`. */
export function resourceNamed(json: Json, type: string, prefix: string): Json {
  const matches = Object.entries(resources(json, type)).filter(([name]) => name.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${matches.map(([n]) => n).join(', ') || 'none'}`);
  return matches[0][1];
}

/** The statements of the single IAM policy (`policy` of a resource of `type` named `prefix*`), parsed from its literal JSON. */
export function policyNamed(json: Json, type: string, prefix: string, attribute = 'policy'): Json[] {
  return JSON.parse(resourceNamed(json, type, prefix)[attribute] as string).Statement;
}

/** Every statement of every IAM role policy of the stack. */
export function everyRolePolicyStatement(json: Json): Json[] {
  return resourceList(json, 'aws_iam_role_policy').flatMap((policy) => JSON.parse(policy.policy as string).Statement as Json[]);
}

export function dataNamed(json: Json, type: string, prefix: string): Json {
  const matches = Object.entries(json.data?.[type] ?? {}).filter(([name]) => name.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one data ${type} named ${prefix}*`);
  return matches[0][1] as Json;
}

/** The Terraform address (`type.name`) of the single resource named `prefix*`. */
export function addressOf(json: Json, type: string, prefix: string): string {
  const name = Object.keys(resources(json, type)).find((n) => n.startsWith(prefix));
  if (!name) throw new Error(`no ${type} named ${prefix}*`);
  return `${type}.${name}`;
}

/** The resource at a Terraform address (`type.name`). */
export function at(json: Json, address: string): Json {
  const [type = '', name = ''] = address.split('.');
  const found = resources(json, type)[name];
  if (!found) throw new Error(`no resource ${address}`);
  return found;
}
