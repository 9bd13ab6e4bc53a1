import { Template } from '@crdb-ory/core/testing';
import { App, DefaultTokenResolver, StringConcat, TerraformStack, Testing, Tokenization } from 'cdktf';
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

/** The statements of the single IAM policy (`policy` of a resource of `type` named `prefix*`), parsed from its literal JSON. */
export function policyNamed(json: Json, type: string, prefix: string, attribute = 'policy'): Json[] {
  return JSON.parse(Template.fromJSON(json).only(type, prefix).config[attribute] as string).Statement;
}

/** Every statement of every IAM role policy of the stack. */
export function everyRolePolicyStatement(json: Json): Json[] {
  return Template.fromJSON(json)
    .all('aws_iam_role_policy')
    .flatMap((policy) => JSON.parse(policy['policy'] as string).Statement as Json[]);
}

/** `value` with its cdktf tokens resolved as `stack` synthesizes them (`${aws_s3_bucket.x.arn}`). */
export function resolved(stack: TerraformStack, value: unknown): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
}
