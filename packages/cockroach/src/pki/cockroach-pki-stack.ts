import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ProductStack, configureAwsProvider, publishOutputs, publishParameters, throwIfProblems } from '@crdb-ory/core';
import { NETWORK_OUTPUTS, regionalNetworkOutputs } from '@crdb-ory/network';
import { Construct } from 'constructs';
import { NODE_COUNT, iamRoleArn, nodeDnsName, nodeName, sqlDnsName } from '../cockroach-names';
import { nodePrivateIp } from '../node-private-ip';
import { COCKROACH_PKI_OUTPUTS, COCKROACH_PKI_STACK_NAME } from '../cockroach-pki-outputs';
import { CockroachCommonProps, cockroachSecretName } from '../common-props';
import { DEFAULT_SQL_USERS, clientCertificateUsers, sqlUserProblems } from '../sql-users';
import { CertificateSecret, SecretReplica } from './certificate-secret';
import { PkiNodeRegion, pkiNodeRegionProblems } from './pki-regions';
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
  /**
   * The regions of a multi-region cluster, the primary (this stack's `region`) among them: each
   * region's three nodes get a certificate with that region's names (node names and `sql.<zone>`
   * of the region's private zone, fixed private IPs in its subnets, from its network stack), readable
   * by that region's node roles. A region other than the primary gets a KMS key of its own (this
   * stack, through a provider for that region) and replicas, encrypted with it, of its nodes'
   * secrets and of every client secret (Ory, the nodes' root and the verifier run in every region),
   * and the outputs contract published there, under the region's `namePrefix`, with the ARNs of the
   * replicas in that region: a region's `cockroach` and `ory` stacks read `COCKROACH_PKI_OUTPUTS` as
   * in a single region. Opt-in; without it the stack reads the `network` stack and issues three node
   * certificates, as before.
   * @default none (one region: the `network` stack's nodes)
   */
  readonly nodeRegions?: readonly PkiNodeRegion[];
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
  /** The node secrets of each region (one region: this stack's), in node (AZ) order. */
  readonly nodeSecretsByRegion: Readonly<Record<string, CertificateSecret[]>>;
  /** The KMS key (and provider) of each region holding replicas. */
  readonly replicaKmsKeys: Readonly<Record<string, { key: KmsKey; provider: AwsProvider }>>;

  private readonly organization: string;
  private readonly validity: ResolvedCertificateValidity;
  private readonly recoveryWindowInDays: number;
  private readonly deployerReaders: string[];
  private readonly accountId: string;
  private readonly partition: string;
  private readonly nodeRegions: readonly PkiNodeRegion[];

  constructor(scope: Construct, props: CockroachPkiStackProps) {
    super(scope, COCKROACH_PKI_STACK_NAME, props);
    this.nodeRegions = props.nodeRegions ?? [];
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
      ...pkiNodeRegionProblems(props.nodeRegions ?? [], props.region, this.namePrefix),
    ]);
    this.validity = resolveCertificateValidity(validity);
    this.organization = props.organization ?? this.namePrefix;

    configureAwsProvider(this, { region: props.region, tags: props.tags });
    new TlsProvider(this, 'tls');
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
    if (props.nodeRegions === undefined) {
      const network = this.readUpstream(NETWORK_OUTPUTS);
      this.nodeSecrets = Array.from({ length: NODE_COUNT }, (_, i) =>
        this.nodeCertificate(i, network.cockroachPrivateSubnetCidrs, network.privateZoneName),
      );
      this.nodeSecretsByRegion = { [props.region]: this.nodeSecrets };
      this.replicaKmsKeys = {};
    } else {
      this.replicaKmsKeys = Object.fromEntries(props.nodeRegions.filter((r) => r.region !== props.region).map((r) => [r.region, this.replicaKey(r.region, props.tags)]));
      this.nodeSecretsByRegion = Object.fromEntries(props.nodeRegions.map((r) => [r.region, this.regionNodeCertificates(r, props.region)]));
      this.nodeSecrets = props.nodeRegions.flatMap((r) => this.nodeSecretsByRegion[r.region] ?? []);
    }
    this.clientSecrets = Object.fromEntries(
      clientCertificateUsers(users).map((user) => [user, this.clientCertificate(user, props.region)]),
    );

    const outputsIn = (region: string) => ({
      caCertificatePem: this.ca.certificatePem,
      kmsKeyArn: region === props.region ? this.kmsKey.arn : (this.replicaKmsKeys[region]?.key.arn ?? ''),
      nodeSecretArns: (this.nodeSecretsByRegion[region] ?? []).map((s) => s.arnIn(region)),
      rootClientSecretArn: this.clientSecrets['root'].arnIn(region),
      hydraClientSecretArn: this.clientSecrets[users.hydra].arnIn(region),
      kratosClientSecretArn: this.clientSecrets[users.kratos].arnIn(region),
      ketoClientSecretArn: this.clientSecrets[users.keto].arnIn(region),
      verifierClientSecretArn: this.clientSecrets[users.verifier].arnIn(region),
    });
    publishOutputs(this, COCKROACH_PKI_OUTPUTS, outputsIn(props.region));
    for (const r of (props.nodeRegions ?? []).filter((r) => r.region !== props.region)) {
      // In the region itself, under its namePrefix: that region's stacks read them as in one region.
      const scope = new Construct(this, `${r.region}-published`);
      for (const parameter of publishParameters(scope, COCKROACH_PKI_OUTPUTS, outputsIn(r.region), r.namePrefix)) parameter.provider = this.replicaKmsKeys[r.region]?.provider;
    }
  }

  /** The KMS key (and the provider of `region`) of the secret replicas in another region. */
  private replicaKey(region: string, tags: Readonly<Record<string, string>>): { key: KmsKey; provider: AwsProvider } {
    const provider = new AwsProvider(this, `aws-${region}`, { alias: region, region, defaultTags: [{ tags: { ...tags } }] });
    const key = new KmsKey(this, `${region}-kms-key`, {
      provider,
      description: `${this.namePrefix}: CockroachDB certificate secret replicas in ${region}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, `${region}-kms-alias`, { provider, name: `alias/${this.namePrefix}-cockroach-pki`, targetKeyId: key.keyId });
    return { key, provider };
  }

  /** A region's three node certificates: its private zone's names, its subnets' fixed IPs, its node roles; replicated into the region unless it is the primary. */
  private regionNodeCertificates(r: PkiNodeRegion, primaryRegion: string): CertificateSecret[] {
    const network = this.readUpstream(regionalNetworkOutputs(r.networkStackName));
    const replicaKey = this.replicaKmsKeys[r.region];
    const replicas = replicaKey ? [{ region: r.region, kmsKeyArn: replicaKey.key.arn }] : [];
    return Array.from({ length: NODE_COUNT }, (_, i) =>
      this.nodeCertificate(i, network.cockroachPrivateSubnetCidrs, network.privateZoneName, { region: r.region, primaryRegion, namePrefix: r.namePrefix, replicas }),
    );
  }

  /**
   * Node certificate: every name and IP a node is reached by (design section 5). In a multi-region
   * cluster (`inRegion`), ids and the secret name carry the region (`us-east-2/node-1`: a replica
   * has its primary's name, so the regions' names must differ), and the reader is the region's node role.
   */
  private nodeCertificate(index: number, subnetCidrs: string[], zoneName: string, inRegion?: { region: string; primaryRegion: string; namePrefix: string; replicas: SecretReplica[] }): CertificateSecret {
    const name = inRegion ? `${inRegion.region}/node-${index + 1}` : `node-${index + 1}`;
    const id = inRegion ? `${inRegion.region}-node-${index + 1}` : name;
    const cert = new SignedCertificate(this, `${id}-cert`, {
      ca: this.ca,
      commonName: 'node',
      organization: this.organization,
      allowedUses: NODE_CERT_USES,
      validityHours: this.validity.nodeValidityHours,
      earlyRenewalHours: this.validity.earlyRenewalHours,
      dnsNames: [nodeDnsName(zoneName, index), sqlDnsName(zoneName), 'localhost'],
      ipAddresses: [nodePrivateIp(subnetCidrs, index), '127.0.0.1'],
    });
    const reader = this.nodeRoleArn(index, inRegion?.namePrefix);
    return this.secret(`${id}-secret`, name, `CockroachDB ${name} certificate and key`, [reader], {
      'ca.crt': this.ca.certificatePem,
      'node.crt': cert.certificate.certPem,
      'node.key': cert.privateKey.privateKeyPem,
    }, inRegion ? { region: inRegion.primaryRegion, replicas: inRegion.replicas } : {});
  }

  private clientCertificate(user: string, primaryRegion: string): CertificateSecret {
    const cert = new SignedCertificate(this, `client-${user}-cert`, {
      ca: this.ca,
      commonName: user,
      organization: this.organization,
      allowedUses: CLIENT_CERT_USES,
      validityHours: this.validity.clientValidityHours,
      earlyRenewalHours: this.validity.earlyRenewalHours,
    });
    // Nodes read no client secret except root's: every node keeps it for admin commands (drain, the roll, restores, node 1's bootstrap).
    const prefixes = this.nodeRegions.length > 0 ? this.nodeRegions.map((r) => r.namePrefix) : [this.namePrefix];
    const nodeReaders = user === 'root' ? prefixes.flatMap((prefix) => Array.from({ length: NODE_COUNT }, (_, i) => this.nodeRoleArn(i, prefix))) : [];
    // Every region's Ory, nodes and verifier read the client secrets: a replica in each other region.
    const replicas = Object.entries(this.replicaKmsKeys).map(([region, k]) => ({ region, kmsKeyArn: k.key.arn }));
    return this.secret(`client-${user}-secret`, `client-${user}`, `CockroachDB client certificate of SQL user ${user}`, nodeReaders, {
      'ca.crt': this.ca.certificatePem,
      [`client.${user}.crt`]: cert.certificate.certPem,
      [`client.${user}.key`]: cert.privateKey.privateKeyPem,
    }, replicas.length > 0 ? { region: primaryRegion, replicas } : {});
  }

  /** The role the `cockroach` stack (of the region whose prefix is `namePrefix`) gives node `index` (it does not exist yet: a condition names it). */
  private nodeRoleArn(index: number, namePrefix = this.namePrefix): string {
    return iamRoleArn(this.partition, this.accountId, nodeName(namePrefix, index));
  }

  private secret(id: string, leaf: string, description: string, nodeReaders: string[], files: Record<string, string>, replication: { region?: string; replicas?: SecretReplica[] }): CertificateSecret {
    return new CertificateSecret(this, id, {
      ...replication,
      secretName: cockroachSecretName(this.namePrefix, leaf),
      description,
      kmsKeyId: this.kmsKey.arn,
      recoveryWindowInDays: this.recoveryWindowInDays,
      files,
      readerArns: [...nodeReaders, ...this.deployerReaders],
    });
  }
}
