import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { ProductStack, configureAwsProvider, publishOutputs, throwIfProblems } from '@crdb-ory/core';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { Construct } from 'constructs';
import { NODE_COUNT, iamRoleArn, nodeDnsName, nodeName, sqlDnsName } from '../cockroach-names';
import { nodePrivateIp } from '../node-private-ip';
import { COCKROACH_PKI_OUTPUTS, COCKROACH_PKI_STACK_NAME } from '../cockroach-pki-outputs';
import { CockroachCommonProps, cockroachSecretName } from '../common-props';
import { DEFAULT_SQL_USERS, clientCertificateUsers, sqlUserProblems } from '../sql-users';
import { CertificateSecret } from './certificate-secret';
import { CertificateValidity, ResolvedCertificateValidity, certificateValidityProblems, resolveCertificateValidity } from './certificate-validity';
import { CockroachCa } from './cockroach-ca';
import { DEFAULT_SECRET_RECOVERY_WINDOW_DAYS, secretReaderArnProblems, secretRecoveryWindowProblems } from './secret-read-policy';
import { CLIENT_CERT_USES, NODE_CERT_USES, SignedCertificate } from './signed-certificate';

export interface CockroachPkiStackProps extends CockroachCommonProps, CertificateValidity {
  /**
   * Organization in every certificate subject.
   * @default the name prefix
   */
  readonly organization?: string;
  /**
   * Days a deleted certificate secret stays restorable: 0 (deleted at once) or 7-30. While a
   * deleted secret is restorable its name stays taken, so deploying this stack again fails
   * until the window ends (or the secret is restored and imported, or force-deleted).
   * @default 7 (a week to notice a mistaken destroy)
   */
  readonly secretRecoveryWindowDays?: number;
  /**
   * IAM role or user ARNs (`aws:PrincipalArn`, `*` allowed in the name) that may read the
   * certificate secrets besides the node roles and the identity that applies this stack
   * (derived at plan time): CI roles and operators that deploy `cockroach-pki` or `ory` or run
   * the verifier. Anyone else is denied GetSecretValue by each secret's resource policy.
   * @default none
   */
  readonly secretReaderArns?: readonly string[];
}

/**
 * The `cockroach-pki` stack: the cluster CA, one node certificate per node and a client
 * certificate per SQL user, each kept in its own KMS-encrypted Secrets Manager secret. The CA
 * key stays in this stack's state only, which no other stack reads: what others need (ARNs, the
 * CA certificate, the KMS key) is published as SSM parameters (`COCKROACH_PKI_OUTPUTS`).
 */
export class CockroachPkiStack extends ProductStack {
  readonly ca: CockroachCa;
  readonly kmsKey: KmsKey;
  readonly nodeSecrets: CertificateSecret[];
  readonly clientSecrets: Record<string, CertificateSecret>;

  private readonly organization: string;
  private readonly validity: ResolvedCertificateValidity;
  private readonly recoveryWindowInDays: number;
  private readonly deployerReaders: string[];
  private readonly accountId: string;
  private readonly partition: string;

  constructor(scope: Construct, props: CockroachPkiStackProps) {
    super(scope, COCKROACH_PKI_STACK_NAME, props);
    const users = props.sqlUsers ?? DEFAULT_SQL_USERS;
    const validity: CertificateValidity = {
      caValidityHours: props.caValidityHours,
      nodeValidityHours: props.nodeValidityHours,
      clientValidityHours: props.clientValidityHours,
      earlyRenewalHours: props.earlyRenewalHours,
    };
    this.recoveryWindowInDays = props.secretRecoveryWindowDays ?? DEFAULT_SECRET_RECOVERY_WINDOW_DAYS;
    throwIfProblems(this, [
      ...sqlUserProblems(users),
      ...certificateValidityProblems(validity),
      ...secretRecoveryWindowProblems(this.recoveryWindowInDays),
      ...secretReaderArnProblems(props.secretReaderArns ?? []),
    ]);
    this.validity = resolveCertificateValidity(validity);
    this.organization = props.organization ?? this.namePrefix;

    configureAwsProvider(this, { region: props.region, tags: props.tags });
    new TlsProvider(this, 'tls');
    const network = this.readUpstream(NETWORK_OUTPUTS);
    const caller = new DataAwsCallerIdentity(this, 'caller');
    this.accountId = caller.accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
    // The role of an assumed-role session (what aws:PrincipalArn holds), or the user itself.
    const deployer = new DataAwsIamSessionContext(this, 'deployer', { arn: caller.arn }).issuerArn;
    this.deployerReaders = [deployer, ...(props.secretReaderArns ?? [])];

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
    return this.secret(`${name}-secret`, name, `CockroachDB ${name} certificate and key`, [this.nodeRoleArn(index)], {
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
    // Nodes read no client secret except root's: every node keeps it for admin commands (drain, the roll, restores, node 1's bootstrap).
    const nodeReaders = user === 'root' ? Array.from({ length: NODE_COUNT }, (_, i) => this.nodeRoleArn(i)) : [];
    return this.secret(`client-${user}-secret`, `client-${user}`, `CockroachDB client certificate of SQL user ${user}`, nodeReaders, {
      'ca.crt': this.ca.certificatePem,
      [`client.${user}.crt`]: cert.certificate.certPem,
      [`client.${user}.key`]: cert.privateKey.privateKeyPem,
    });
  }

  /** The role the `cockroach` stack gives node `index` (it does not exist yet: a condition names it). */
  private nodeRoleArn(index: number): string {
    return iamRoleArn(this.partition, this.accountId, nodeName(this.namePrefix, index));
  }

  private secret(id: string, leaf: string, description: string, nodeReaders: string[], files: Record<string, string>): CertificateSecret {
    return new CertificateSecret(this, id, {
      secretName: cockroachSecretName(this.namePrefix, leaf),
      description,
      kmsKeyId: this.kmsKey.arn,
      recoveryWindowInDays: this.recoveryWindowInDays,
      files,
      readerArns: [...nodeReaders, ...this.deployerReaders],
    });
  }
}
