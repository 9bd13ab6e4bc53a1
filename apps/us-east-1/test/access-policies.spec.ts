/**
 * The state-access policy of each deploy role, as synthesis writes it (cdktf.out/access), held as
 * data against AWS's evaluation logic (core's evaluateIam): each role reaches its own state, the
 * state of exactly the stacks it reads through remote state and the parameters it reads, and
 * nothing else; in particular nobody but the cockroach-pki deployer reaches the PKI's state,
 * which holds every private key. docs/access.md's table points here.
 */
import { IamPolicyDocument, evaluateIam } from '@crdb-ory/core';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ACCESS, stackJson, synthesizeTo } from './helpers';

const BUCKET = 'acme-tfstate';
const outdir = synthesizeTo({ namePrefix: 'acme', stateBackend: { type: 's3', bucket: BUCKET, keyPrefix: 'idp/prod' }, eks: OPERATOR_ACCESS });
const STACKS = ['network', 'cockroach-pki', 'cockroach-backup', 'cockroach', 'eks', 'ory'];
const policy = (file: string): IamPolicyDocument => JSON.parse(readFileSync(join(outdir, 'access', file), 'utf8')) as IamPolicyDocument;
const deployer = (stack: string) => policy(`${stack}-deployer.json`);
const stateObject = (stack: string) => `arn:aws:s3:::${BUCKET}/idp/prod/${stack}.tfstate`;
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000005';

/** Read `stack`'s state as S3 does it for the caller: GetObject, then KMS Decrypt with the object's ARN as encryption context. */
function canReadState(role: IamPolicyDocument, stack: string): boolean {
  const get = evaluateIam({ action: 's3:GetObject', resource: stateObject(stack) }, { identity: [role] });
  const decrypt = evaluateIam(
    { action: 'kms:Decrypt', resource: KEY, context: { 'kms:ResourceAliases': ['alias/acme-tfstate'], 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': stateObject(stack) } },
    { identity: [role] },
  );
  return get === 'allow' && decrypt === 'allow';
}

function canWriteState(role: IamPolicyDocument, stack: string): boolean {
  const put = evaluateIam({ action: 's3:PutObject', resource: stateObject(stack) }, { identity: [role] });
  const key = evaluateIam({ action: 'kms:GenerateDataKey', resource: KEY, context: { 'kms:ResourceAliases': ['alias/acme-tfstate'], 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': stateObject(stack) } }, { identity: [role] });
  return put === 'allow' && key === 'allow';
}

const canReadParameter = (role: IamPolicyDocument, name: string) => evaluateIam({ action: 'ssm:GetParameter', resource: `arn:aws:ssm:us-east-1:123456789012:parameter${name}` }, { identity: [role] }) === 'allow';

/** The stacks a stack reads through terraform_remote_state, from its synthesized JSON. */
function remoteStateReads(stack: string): string[] {
  const reads = Object.values<Record<string, any>>(stackJson(outdir, stack).data?.terraform_remote_state ?? {});
  return reads.map((read) => /\/([^/]+)\.tfstate$/.exec(read.config.key)?.[1] ?? `unmatched ${read.config.key}`);
}

describe('the deploy roles\' state access (cdktf.out/access/<stack>-deployer.json)', () => {
  it('is written for every stack with S3 state, with the guardrail', () => {
    expect(readdirSync(join(outdir, 'access')).sort()).toEqual([...STACKS.map((s) => `${s}-deployer.json`), 'cockroach-nodes-guardrail.json', 'cockroach-operations.json'].sort());
  });

  it('lets each deployer read and write its own state, read exactly the stacks it reads through remote state, and nothing else of the bucket', () => {
    for (const stack of STACKS) {
      const role = deployer(stack);
      expect(canWriteState(role, stack), `${stack} writes its state`).toBe(true);
      const reads = remoteStateReads(stack);
      for (const other of [...STACKS, 'state']) {
        expect(canReadState(role, other), `${stack} deployer reads ${other}'s state`).toBe(other === stack || reads.includes(other));
        if (other !== stack) expect(canWriteState(role, other), `${stack} deployer writes ${other}'s state`).toBe(false);
      }
      expect(evaluateIam({ action: 's3:GetObjectVersion', resource: stateObject('cockroach-pki') }, { identity: [role] })).toBe('implicit-deny');
    }
  });

  it('keeps the PKI state, with every private key, away from every role but its own deployer: the ory deployer cannot read it', () => {
    expect(canReadState(deployer('ory'), 'cockroach-pki')).toBe(false);
    expect(STACKS.filter((stack) => canReadState(deployer(stack), 'cockroach-pki'))).toEqual(['cockroach-pki']);
  });

  it("gives the operations role the cockroach stack's state access for the roll, and never the PKI's state", () => {
    const operations = policy('cockroach-operations.json');
    expect(canWriteState(operations, 'cockroach')).toBe(true);
    for (const read of ['network', 'cockroach-backup']) expect(canReadState(operations, read), read).toBe(true);
    for (const other of ['cockroach-pki', 'ory', 'eks', 'state']) expect(canReadState(operations, other), other).toBe(false);
    expect(canReadParameter(operations, '/acme/cockroach-pki/root_client_secret_arn')).toBe(true);
    const sessionKey = (alias: string) => evaluateIam({ action: 'kms:GenerateDataKey', resource: 'arn:aws:kms:us-east-1:123456789012:key/k', context: { 'kms:ResourceAliases': [alias] } }, { identity: [operations] });
    expect(sessionKey('alias/acme-cockroach-operations')).toBe('allow');
    expect(sessionKey('alias/acme-tfstate')).toBe('implicit-deny');
  });

  it('lets the cockroach and ory deployers read what the PKI publishes instead, and only the PKI deployer write it', () => {
    const parameter = '/acme/cockroach-pki/hydra_client_secret_arn';
    expect(STACKS.filter((stack) => canReadParameter(deployer(stack), parameter))).toEqual(['cockroach-pki', 'cockroach', 'ory']);
    expect(canReadParameter(deployer('ory'), '/other-env/cockroach-pki/hydra_client_secret_arn')).toBe(false);
    expect(STACKS.filter((stack) => evaluateIam({ action: 'ssm:PutParameter', resource: `arn:aws:ssm:us-east-1:123456789012:parameter${parameter}` }, { identity: [deployer(stack)] }) === 'allow')).toEqual(['cockroach-pki']);
  });
});
