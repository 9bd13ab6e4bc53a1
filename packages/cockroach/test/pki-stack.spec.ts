import { describe, expect, it } from 'vitest';
import { COCKROACH_PKI_OUTPUTS, terraformOutputNames } from './contract';
import { Template } from '@crdb-ory/core/testing';
import { Json, synthPki } from './synth';

const json = synthPki();
const NETWORK = 'data.terraform_remote_state.remote-state-network.outputs';

function certRequest(prefix: string): Json {
  return Template.fromJSON(json).only('tls_cert_request', prefix).config;
}
function signedCert(prefix: string): Json {
  return Template.fromJSON(json).only('tls_locally_signed_cert', prefix).config;
}

describe('cockroach-pki stack', () => {
  it('is named cockroach-pki and uses the tls and aws providers', () => {
    expect(Object.keys(json.provider).sort()).toEqual(['aws', 'tls']);
    expect(json.terraform.backend.local.path).toBe('../../../terraform.cockroach-pki.tfstate');
  });

  it('creates a CA: CA:true, RSA 2048, signing usages, configurable validity', () => {
    const ca = Template.fromJSON(json).only('tls_self_signed_cert', 'ca_cert').config;
    expect(ca.is_ca_certificate).toBe(true);
    expect(ca.allowed_uses).toEqual(expect.arrayContaining(['cert_signing', 'crl_signing']));
    expect(ca.validity_period_hours).toBe(87600);
    expect(ca.early_renewal_hours).toBe(720);
    expect(ca.subject[0].common_name).toBe('Cockroach CA');
    for (const key of Template.fromJSON(json).all('tls_private_key')) {
      expect(key).toMatchObject({ algorithm: 'RSA', rsa_bits: 2048 });
    }
  });

  it.each([0, 1, 2])('issues node %i a CN=node certificate with server and client auth and every SAN', (i) => {
    const request = certRequest(`node-${i + 1}-cert_request_`);
    expect(request.subject[0].common_name).toBe('node');
    expect(request.dns_names).toEqual([`node-${i + 1}.\${${NETWORK}.private_zone_name}`, `sql.\${${NETWORK}.private_zone_name}`, 'localhost']);
    expect(request.ip_addresses).toEqual([`\${cidrhost(element(${NETWORK}.cockroach_private_subnet_cidrs, ${i}), 10)}`, '127.0.0.1']);
    const cert = signedCert(`node-${i + 1}-cert_`);
    expect(cert.allowed_uses.sort()).toEqual(['client_auth', 'digital_signature', 'key_encipherment', 'server_auth']);
    expect(cert.ca_private_key_pem).toBe(`\${${Template.fromJSON(json).only('tls_private_key', 'ca_key').address}.private_key_pem}`);
    expect(cert.validity_period_hours).toBe(8760);
  });

  it.each(['root', 'hydra', 'kratos', 'keto', 'verifier'])('issues %s a CN=<user> client-auth-only certificate', (user) => {
    expect(certRequest(`client-${user}-cert_request_`).subject[0].common_name).toBe(user);
    expect(certRequest(`client-${user}-cert_request_`).dns_names).toBeUndefined();
    const cert = signedCert(`client-${user}-cert_`);
    expect(cert.allowed_uses.sort()).toEqual(['client_auth', 'digital_signature', 'key_encipherment']);
    expect(cert.allowed_uses).not.toContain('server_auth');
  });

  it('keeps one KMS-encrypted secret per node and per SQL user, in the documented JSON format', () => {
    const secrets = Template.fromJSON(json).findResources('aws_secretsmanager_secret');
    const kms = `\${${Template.fromJSON(json).only('aws_kms_key', 'kms-key').address}.arn}`;
    expect(Object.values(secrets).map((s) => s.name).sort()).toEqual(
      ['client-hydra', 'client-keto', 'client-kratos', 'client-root', 'client-verifier', 'node-1', 'node-2', 'node-3'].map((n) => `crdb-ory/cockroach/${n}`),
    );
    for (const secret of Object.values(secrets)) expect(secret.kms_key_id).toBe(kms);
    expect(Template.fromJSON(json).only('aws_kms_key', 'kms-key').config.enable_key_rotation).toBe(true);
    const node1 = Template.fromJSON(json).only('aws_secretsmanager_secret_version', 'node-1-secret_').config;
    expect(node1.secret_string).toMatch(/^\$\{jsonencode\(\{"ca\.crt" = .*, "node\.crt" = tls_locally_signed_cert\.node-1-cert_[0-9A-F]+\.cert_pem, "node\.key" = tls_private_key\.node-1-cert_key_[0-9A-F]+\.private_key_pem\}\)\}$/);
    const hydra = Template.fromJSON(json).only('aws_secretsmanager_secret_version', 'client-hydra-secret_').config;
    expect(hydra.secret_string).toContain('"client.hydra.crt"');
    expect(hydra.secret_string).toContain('"client.hydra.key"');
  });

  it('never puts the CA private key in a secret or an output', () => {
    const caKey = Template.fromJSON(json).only('tls_private_key', 'ca_key').address;
    for (const version of Template.fromJSON(json).all('aws_secretsmanager_secret_version')) expect(version.secret_string).not.toContain(caKey);
    for (const output of Object.values<Json>(json.output)) expect(JSON.stringify(output.value)).not.toMatch(/private_key/);
  });

  it('publishes exactly the PKI outputs contract: ARNs and the public CA certificate', () => {
    expect(Object.keys(json.output).sort()).toEqual(terraformOutputNames(COCKROACH_PKI_OUTPUTS));
    expect(json.output.ca_certificate_pem.value).toBe(`\${${Template.fromJSON(json).only('tls_self_signed_cert', 'ca_cert').address}.cert_pem}`);
  });

  it('publishes the same contract as SSM parameters under /<prefix>/cockroach-pki/, each the JSON of its output and never a key', () => {
    const parameters = Template.fromJSON(json).all('aws_ssm_parameter');
    expect(parameters.map((p) => p.name).sort()).toEqual(terraformOutputNames(COCKROACH_PKI_OUTPUTS).map((name) => `/crdb-ory/cockroach-pki/${name}`));
    expect(parameters.every((p) => p.type === 'String' && p.value === undefined)).toBe(true);
    const ca = parameters.find((p) => p.name.endsWith('/ca_certificate_pem'));
    expect(ca?.insecure_value).toBe(`\${jsonencode(${Template.fromJSON(json).only('tls_self_signed_cert', 'ca_cert').address}.cert_pem)}`);
    for (const parameter of parameters) expect(parameter.insecure_value).not.toMatch(/private_key/);
    expect(Template.fromJSON(synthPki({ namePrefix: 'staging' })).all('aws_ssm_parameter').map((p) => p.name)).toContain('/staging/cockroach-pki/node_secret_arns');
  });

  it('takes validity periods, early renewal and user names from props', () => {
    const custom = synthPki({ nodeValidityHours: 2000, clientValidityHours: 1000, earlyRenewalHours: 100, sqlUsers: { hydra: 'h', kratos: 'k', keto: 'kt', verifier: 'ro' } });
    expect(Template.fromJSON(custom).only('tls_locally_signed_cert', 'node-1-cert_').config).toMatchObject({ validity_period_hours: 2000, early_renewal_hours: 100 });
    expect(Template.fromJSON(custom).only('tls_locally_signed_cert', 'client-ro-cert_').config).toMatchObject({ validity_period_hours: 1000 });
    expect(Template.fromJSON(custom).only('tls_cert_request', 'client-ro-cert_request_').config.subject[0].common_name).toBe('ro');
  });

  it('rejects validity periods that cannot work, naming the setting', () => {
    expect(() => synthPki({ earlyRenewalHours: 9000 })).toThrow(/earlyRenewalHours = 9000: must be below nodeValidityHours \(8760\)/);
    expect(() => synthPki({ nodeValidityHours: 100000 })).toThrow(/nodeValidityHours = 100000: must not exceed caValidityHours/);
    expect(() => synthPki({ secretRecoveryWindowDays: 3 })).toThrow(/secretRecoveryWindowDays = 3: allowed: 0 \(delete at once, no restore\) or a whole number of days from 7 to 30/);
  });

  it('matches the all-defaults snapshot', () => {
    expect(json).toMatchSnapshot();
  });
});

describe('cockroach-pki stack: who may read a certificate secret', () => {
  const ROLE = (n: number): string => `"arn:\${data.aws_partition.partition.partition}:iam::\${data.aws_caller_identity.caller.account_id}:role/crdb-ory-cockroach-node-${n}"`;
  const DEPLOYER = '"${data.aws_iam_session_context.deployer.issuer_arn}"';
  /** The policy JSON cdktf writes for a reader list (JSON strings, references interpolated). */
  const expectedPolicy = (readers: string[]): string =>
    `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyListedPrincipalsReadTheValue","Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":[${readers.join(',')}]}}}]}`;
  const policyOf = (j: Json, leaf: string): string => {
    const policy = Template.fromJSON(j).only('aws_secretsmanager_secret_policy', `${leaf}-secret_policy_`).config;
    expect(policy.secret_arn).toBe(`\${${Template.fromJSON(j).only('aws_secretsmanager_secret', `${leaf}-secret_`).address}.arn}`);
    expect(policy.block_public_policy).toBe(true);
    return policy.policy;
  };

  it('gives every secret a resource policy denying GetSecretValue to anyone not listed', () => {
    expect(Template.fromJSON(json).all('aws_secretsmanager_secret_policy')).toHaveLength(8);
  });

  it.each([1, 2, 3])('node-%i: only that node role (named before it exists, by aws:PrincipalArn) and the deployer read it', (n) => {
    expect(policyOf(json, `node-${n}`)).toBe(expectedPolicy([ROLE(n), DEPLOYER]));
  });

  it('client-root: every node (admin commands: drain, the roll, restores, the bootstrap) and the deployer; service and verifier clients: the deployer only', () => {
    expect(policyOf(json, 'client-root')).toBe(expectedPolicy([ROLE(1), ROLE(2), ROLE(3), DEPLOYER]));
    for (const user of ['hydra', 'kratos', 'keto', 'verifier']) expect(policyOf(json, `client-${user}`)).toBe(expectedPolicy([DEPLOYER]));
  });

  it('names the deployer by the role of its session (what aws:PrincipalArn holds), derived at plan time', () => {
    expect(json.data.aws_iam_session_context.deployer.arn).toBe('${data.aws_caller_identity.caller.arn}');
  });

  it('adds the configured readers (CI roles, operators) to every secret, and rejects account-wide or session ARNs', () => {
    const ci = 'arn:aws:iam::123456789012:role/ci-deployer';
    const sso = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_*';
    const custom = synthPki({ secretReaderArns: [ci, sso] });
    expect(policyOf(custom, 'client-verifier')).toBe(expectedPolicy([DEPLOYER, `"${ci}"`, `"${sso}"`]));
    expect(policyOf(custom, 'node-2')).toBe(expectedPolicy([ROLE(2), DEPLOYER, `"${ci}"`, `"${sso}"`]));
    expect(() => synthPki({ secretReaderArns: ['arn:aws:iam::123456789012:role/*'] })).toThrow(/secretReaderArns\[0\] = "arn:aws:iam::123456789012:role\/\*": is every role of the account/);
    expect(() => synthPki({ secretReaderArns: ['arn:aws:sts::123456789012:assumed-role/Admin/me'] })).toThrow(/secretReaderArns\[0\] = .*: allowed: an IAM role or user ARN/);
  });

  it('denies only reading the value: managing the secret and its policy stays with IAM, so nobody is locked out', () => {
    const text = policyOf(json, 'client-root');
    expect(text.match(/"Effect":/g)).toHaveLength(1);
    expect(text).toContain('"Action":"secretsmanager:GetSecretValue"');
    expect(text).not.toMatch(/PutResourcePolicy|DeleteResourcePolicy|secretsmanager:\*|"Effect":"Allow"/);
  });

  it('writes each secret value only after its policy exists', () => {
    for (const version of Object.entries(Template.fromJSON(json).findResources('aws_secretsmanager_secret_version'))) {
      const leaf = version[0].replace(/-secret_version_[0-9A-F]+$/, '');
      expect(leaf).toMatch(/^(node-\d|client-\w+)$/);
      expect(version[1].depends_on).toEqual([Template.fromJSON(json).only('aws_secretsmanager_secret_policy', `${leaf}-secret_policy_`).address]);
    }
  });

  it('keeps a deleted secret restorable for 7 days by default; 0 deletes at once (redeploy under the same names)', () => {
    for (const secret of Template.fromJSON(json).all('aws_secretsmanager_secret')) expect(secret.recovery_window_in_days).toBe(7);
    for (const secret of Template.fromJSON(synthPki({ secretRecoveryWindowDays: 0 })).all('aws_secretsmanager_secret')) expect(secret.recovery_window_in_days).toBe(0);
    expect(Template.fromJSON(synthPki({ secretRecoveryWindowDays: 30 })).all('aws_secretsmanager_secret')[0]?.recovery_window_in_days).toBe(30);
  });

});
