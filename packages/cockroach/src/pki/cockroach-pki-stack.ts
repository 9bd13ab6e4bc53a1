import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { ProductStack, configureAwsProvider, publishOutputs } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { Construct } from 'constructs';
import { NODE_COUNT, nodeDnsName, nodePrivateIp, sqlDnsName } from '../cockroach-names';
import { COCKROACH_PKI_OUTPUTS, COCKROACH_PKI_STACK_NAME } from '../cockroach-pki-outputs';
import { CockroachCommonProps, DEFAULT_NAME_PREFIX, cockroachSecretName } from '../common-props';
import { DEFAULT_SQL_USERS, clientCertificateUsers, validateSqlUserNames } from '../sql-users';
import { CertificateSecret } from './certificate-secret';
import { CertificateValidity, ResolvedCertificateValidity, resolveCertificateValidity } from './certificate-validity';
import { CockroachCa } from './cockroach-ca';
import { CLIENT_CERT_USES, NODE_CERT_USES, SignedCertificate } from './signed-certificate';

export interface CockroachPkiStackProps extends CockroachCommonProps, CertificateValidity {
  /**
   * Organization in every certificate subject.
   * @default the name prefix
   */
  readonly organization?: string;
  /**
   * Days a deleted certificate secret stays restorable.
   * @default 30 (the Secrets Manager maximum)
   */
  readonly secretRecoveryWindowDays?: number;
}

/**
 * The `cockroach-pki` stack: the cluster CA, one node certificate per node and a client
 * certificate per SQL user, each kept in its own KMS-encrypted Secrets Manager secret. The CA
 * key stays in this stack's state only.
 */
export class CockroachPkiStack extends ProductStack {
  readonly ca: CockroachCa;
  readonly kmsKey: KmsKey;
  readonly nodeSecrets: CertificateSecret[];
  readonly clientSecrets: Record<string, CertificateSecret>;

  private readonly namePrefix: string;
  private readonly organization: string;
  private readonly validity: ResolvedCertificateValidity;
  private readonly recoveryWindowInDays: number;

  constructor(scope: Construct, props: CockroachPkiStackProps) {
    super(scope, COCKROACH_PKI_STACK_NAME, props);
    const users = props.sqlUsers ?? DEFAULT_SQL_USERS;
    validateSqlUserNames(users);
    this.validity = resolveCertificateValidity({
      caValidityHours: props.caValidityHours,
      nodeValidityHours: props.nodeValidityHours,
      clientValidityHours: props.clientValidityHours,
      earlyRenewalHours: props.earlyRenewalHours,
    });
    this.namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    this.organization = props.organization ?? this.namePrefix;
    this.recoveryWindowInDays = resolveRecoveryWindow(props.secretRecoveryWindowDays);

    configureAwsProvider(this, { region: props.region, tags: props.tags });
    new TlsProvider(this, 'tls');
    const network = this.readUpstream(NETWORK_OUTPUTS);

    this.kmsKey = new KmsKey(this, 'kms-key', {
      description: `${this.namePrefix}: CockroachDB certificate secrets`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, 'kms-alias', { name: `alias/${this.namePrefix}-cockroach-pki`, targetKeyId: this.kmsKey.keyId });

    this.ca = new CockroachCa(this, 'ca', {
      organization: this.organization,
      validityHours: this.validity.caValidityHours,
      earlyRenewalHours: this.validity.earlyRenewalHours,
    });
    this.nodeSecrets = Array.from({ length: NODE_COUNT }, (_, i) =>
      this.nodeCertificate(i, network.cockroachPrivateSubnetCidrs, network.privateZoneName),
    );
    this.clientSecrets = Object.fromEntries(
      clientCertificateUsers(users).map((user) => [user, this.clientCertificate(user)]),
    );

    publishOutputs(this, COCKROACH_PKI_OUTPUTS, {
      caCertificatePem: this.ca.certificatePem,
      kmsKeyArn: this.kmsKey.arn,
      nodeSecretArns: this.nodeSecrets.map((s) => s.arn),
      rootClientSecretArn: this.clientSecrets['root'].arn,
      hydraClientSecretArn: this.clientSecrets[users.hydra].arn,
      kratosClientSecretArn: this.clientSecrets[users.kratos].arn,
      ketoClientSecretArn: this.clientSecrets[users.keto].arn,
      verifierClientSecretArn: this.clientSecrets[users.verifier].arn,
    });
  }

  /** Node certificate: every name and IP a node is reached by (design section 5). */
  private nodeCertificate(index: number, subnetCidrs: string[], zoneName: string): CertificateSecret {
    const name = `node-${index + 1}`;
    const cert = new SignedCertificate(this, `${name}-cert`, {
      ca: this.ca,
      commonName: 'node',
      organization: this.organization,
      allowedUses: NODE_CERT_USES,
      validityHours: this.validity.nodeValidityHours,
      earlyRenewalHours: this.validity.earlyRenewalHours,
      dnsNames: [nodeDnsName(zoneName, index), sqlDnsName(zoneName), 'localhost'],
      ipAddresses: [nodePrivateIp(subnetCidrs, index), '127.0.0.1'],
    });
    return this.secret(`${name}-secret`, name, `CockroachDB ${name} certificate and key`, {
      'ca.crt': this.ca.certificatePem,
      'node.crt': cert.certificate.certPem,
      'node.key': cert.privateKey.privateKeyPem,
    });
  }

  private clientCertificate(user: string): CertificateSecret {
    const cert = new SignedCertificate(this, `client-${user}-cert`, {
      ca: this.ca,
      commonName: user,
      organization: this.organization,
      allowedUses: CLIENT_CERT_USES,
      validityHours: this.validity.clientValidityHours,
      earlyRenewalHours: this.validity.earlyRenewalHours,
    });
    return this.secret(`client-${user}-secret`, `client-${user}`, `CockroachDB client certificate of SQL user ${user}`, {
      'ca.crt': this.ca.certificatePem,
      [`client.${user}.crt`]: cert.certificate.certPem,
      [`client.${user}.key`]: cert.privateKey.privateKeyPem,
    });
  }

  private secret(id: string, leaf: string, description: string, files: Record<string, string>): CertificateSecret {
    return new CertificateSecret(this, id, {
      secretName: cockroachSecretName(this.namePrefix, leaf),
      description,
      kmsKeyId: this.kmsKey.arn,
      recoveryWindowInDays: this.recoveryWindowInDays,
      files,
    });
  }
}

function resolveRecoveryWindow(days: number | undefined): number {
  const value = days ?? 30;
  if (!Number.isInteger(value) || value < 7 || value > 30) {
    throw new Error(`Invalid secretRecoveryWindowDays: ${value}; allowed: a whole number of days from 7 to 30.`);
  }
  return value;
}
