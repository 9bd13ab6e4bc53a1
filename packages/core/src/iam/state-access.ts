import { awsDnsSuffixOf, awsPartitionOf } from '../partition';
import { publishedParametersPath } from '../contract';
import type { S3StateBackendConfig, StateBackendConfig } from '../state-backend';
import { s3StateKey } from '../state-backend';
import type { UpstreamRead } from '../product-stack';
import { IamPolicyDocument, IamStatement, iamPolicy } from './policy-document';

/** What a role does with the state bucket and the published outputs: the stack it applies, and what that stack reads. */
export interface StackStateAccess {
  /** The stack whose state the role reads and writes (plans and applies it). */
  readonly stackName: string;
  /** The stack's upstream reads: `remote-state` reads need that stack's state object, `ssm-parameters` reads its parameters. */
  readonly reads: readonly UpstreamRead[];
  /** The stack writes SSM parameters (an `ssm-parameters` contract) under `/<namePrefix>/<stack>`. */
  readonly publishesParameters: boolean;
}

/** Where the state is and which key encrypts it. */
export interface StateAccessEnvironment {
  readonly backend: S3StateBackendConfig;
  /** The state key's alias, `alias/<namePrefix>-tfstate` (kms_key_id of the S3 backend). @default none: SSE-S3, no key statements */
  readonly stateKeyAlias?: string;
  readonly namePrefix: string;
  readonly partition: string;
  /** Region of the published parameters (the stacks'). */
  readonly region: string;
  /** Account of the parameters and the key. @default '*' (the policy is attached in that account anyway) */
  readonly account?: string;
}

/**
 * The IAM policy a role needs to plan and apply one stack, as far as state goes: its own state
 * object and lock file (read, write), the state objects of the stacks it reads through remote
 * state (read only), the state key for exactly those objects, and the SSM parameters it reads
 * or publishes. Nothing else of the bucket: another stack's state (the PKI's, with every private
 * key) stays out of reach. Permissions from the Terraform S3 backend docs ("Permissions
 * Required": s3:ListBucket on the bucket; s3:GetObject and s3:PutObject on the key; with
 * `use_lockfile`, s3:GetObject, s3:PutObject and s3:DeleteObject on `<key>.tflock`; with
 * `kms_key_id`, kms:Encrypt, kms:Decrypt and kms:GenerateDataKey on the key). The key is named by
 * its alias (`kms:ResourceAliases`, AWS KMS Developer Guide, "Use aliases to control access to KMS
 * keys") and each object by the encryption context S3 passes to KMS, `aws:s3:arn` = the object's
 * ARN (S3 User Guide, "Using server-side encryption with AWS KMS keys: Encryption context"; the
 * bucket's ARN instead when S3 Bucket Keys are on, which the state bucket therefore keeps off).
 */
export function stateAccessPolicy(stack: StackStateAccess, env: StateAccessEnvironment): IamPolicyDocument {
  const { backend, partition } = env;
  const bucketArn = `arn:${partition}:s3:::${backend.bucket}`;
  const objectArn = (stackName: string) => `${bucketArn}/${s3StateKey(backend, stackName)}`;
  const own = objectArn(stack.stackName);
  const upstreamState = stack.reads.filter((read) => read.channel === 'remote-state').map((read) => objectArn(read.stackName));
  const parameterReads = stack.reads.filter((read) => read.channel === 'ssm-parameters').map((read) => parametersArn(env, read.stackName));
  const keyUse = (alias: string, actions: string[], objects: string[]): IamStatement => ({
    Effect: 'Allow',
    Action: actions,
    Resource: `arn:${partition}:kms:${backend.region}:${env.account ?? '*'}:key/*`,
    Condition: {
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias },
      StringEquals: { 'kms:ViaService': `s3.${backend.region}.${awsDnsSuffixOf(backend.region)}` },
      ArnLike: { 'kms:EncryptionContext:aws:s3:arn': objects },
    },
  });
  const statements: IamStatement[] = [
    { Sid: 'ListStateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
    { Sid: 'ReadWriteOwnState', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: own },
    { Sid: 'LockOwnState', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${own}.tflock` },
  ];
  if (env.stateKeyAlias) statements.push({ Sid: 'EncryptOwnState', ...keyUse(env.stateKeyAlias, ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], [own, `${own}.tflock`]) });
  if (upstreamState.length > 0) {
    statements.push({ Sid: 'ReadUpstreamState', Effect: 'Allow', Action: 's3:GetObject', Resource: upstreamState });
    if (env.stateKeyAlias) statements.push({ Sid: 'DecryptUpstreamState', ...keyUse(env.stateKeyAlias, ['kms:Decrypt'], upstreamState) });
  }
  if (parameterReads.length > 0) {
    statements.push({ Sid: 'ReadPublishedOutputs', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: parameterReads });
  }
  if (stack.publishesParameters) {
    const ownParameters = parametersArn(env, stack.stackName);
    statements.push({
      Sid: 'PublishOutputs',
      Effect: 'Allow',
      Action: ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource', 'ssm:ListTagsForResource'],
      Resource: ownParameters,
    });
    // DescribeParameters supports no resource-level permission (Service Authorization Reference, Systems Manager); the provider reads a parameter's tier and description with it.
    statements.push({ Sid: 'DescribePublishedOutputs', Effect: 'Allow', Action: 'ssm:DescribeParameters', Resource: '*' });
  }
  return iamPolicy(statements);
}

/** Every parameter a stack publishes: `arn:<partition>:ssm:<region>:<account>:parameter/<prefix>/<stack>/*`. */
export function parametersArn(env: Pick<StateAccessEnvironment, 'partition' | 'region' | 'account' | 'namePrefix'>, stackName: string): string {
  return `arn:${env.partition}:ssm:${env.region}:${env.account ?? '*'}:parameter${publishedParametersPath(env.namePrefix, stackName)}/*`;
}

/**
 * The environment of a stack's state access from its backend: undefined for a local backend (a
 * file on the deploying machine: no IAM involved). The key is the backend's `kms_key_id` when that
 * is an alias (as the app configures it), else none.
 */
export function stateAccessEnvironmentOf(backend: StateBackendConfig, namePrefix: string, region: string): StateAccessEnvironment | undefined {
  if (backend.type !== 's3') return undefined;
  const alias = backend.kmsKeyId?.startsWith('alias/') ? backend.kmsKeyId : undefined;
  return { backend, namePrefix, region, partition: awsPartitionOf(region), ...(alias ? { stateKeyAlias: alias } : {}) };
}

/** The state key's alias: `alias/<namePrefix>-tfstate`. */
export function stateKeyAlias(namePrefix: string): string {
  return `alias/${namePrefix}-tfstate`;
}
