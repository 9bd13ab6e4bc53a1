import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, DataTerraformRemoteStateS3, S3Backend, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { CONTEXT } from './fixture';
import { NO_REMOTE_STATE_OF_KEY_HOLDER, evaluateStack, stackDocumentsOf } from '../src';

const BACKEND = { bucket: 'acme-tfstate', region: 'us-east-1' };

/** Two stacks of one app: `keys` (a private key, its state in S3) and `reader`, built by `read`. */
function app(read: (reader: TerraformStack) => void) {
  const root = new App();
  const keys = new TerraformStack(root, 'keys');
  new AwsProvider(keys, 'aws', { region: 'us-east-1' });
  new S3Backend(keys, { ...BACKEND, key: 'acme/keys.tfstate' });
  new PrivateKey(keys, 'ca-key', { algorithm: 'RSA' });
  new SsmParameter(keys, 'published', { name: '/acme/keys/ca_certificate_pem', type: 'String', insecureValue: 'PEM' });
  const network = new TerraformStack(root, 'network');
  new S3Backend(network, { ...BACKEND, key: 'acme/network.tfstate' });
  const reader = new TerraformStack(root, 'reader');
  new AwsProvider(reader, 'aws', { region: 'us-east-1' });
  new S3Backend(reader, { ...BACKEND, key: 'acme/reader.tfstate' });
  read(reader);
  const report = evaluateStack(reader, { name: 'test', rules: [NO_REMOTE_STATE_OF_KEY_HOLDER] }, { ...CONTEXT, appStacks: stackDocumentsOf(root) });
  return report.findings;
}

describe('CRDB-STATE-001 no remote-state read of a stack holding private keys', () => {
  it('passes reads of a keyless stack through remote state, and of the key holder through its SSM parameters', () => {
    const findings = app((reader) => {
      new DataTerraformRemoteStateS3(reader, 'remote-state-network', { ...BACKEND, key: 'acme/network.tfstate' });
      new DataAwsSsmParameter(reader, 'published-keys-ca', { name: '/acme/keys/ca_certificate_pem' });
    });
    expect(findings).toEqual([]);
  });

  it("fails a terraform_remote_state read of the key holder's state, naming the keys", () => {
    const findings = app((reader) => {
      new DataTerraformRemoteStateS3(reader, 'remote-state-keys', { ...BACKEND, key: 'acme/keys.tfstate' });
    });
    expect(findings.map((f) => [f.ruleId, f.address])).toEqual([['CRDB-STATE-001', 'data.terraform_remote_state.remote-state-keys']]);
    expect(findings[0]?.message).toContain('reads the state of stack "keys", which holds private keys (tls_private_key.ca-key)');
  });
});
