import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { IamStatement, iamPolicyJson } from '@crdb-ory/core';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { certificateSecretReadStatements } from './secret-grants';
import { secretReadPolicy } from './secret-read-policy';

export interface CertificateSecretProps {
  /** Secret name, e.g. `crdb-ory/cockroach/node-1`. */
  readonly secretName: string;
  readonly description: string;
  /** KMS key that encrypts the secret. */
  readonly kmsKeyId: string;
  /** Days a deleted secret can be restored (0: deleted at once). */
  readonly recoveryWindowInDays: number;
  /** The certs-dir files the secret holds, by file name (`ca.crt`, `node.key`, ...). */
  readonly files: Record<string, string>;
  /** The only principals (`aws:PrincipalArn` patterns) that may read the value: see `secretReadPolicy`. */
  readonly readerArns: readonly string[];
  /**
   * Regions the secret is replicated to, each encrypted with a KMS key of that region (the
   * `replica` blocks of `aws_secretsmanager_secret`: `region` required, `kms_key_id` "ARN, Key ID,
   * or Alias of the AWS KMS key within the region secret is replicated to", hashicorp/aws docs).
   * Secrets Manager replicates the value and "metadata such as tags and resource policies", so the
   * read policy holds in every replica; a replica's ARN is the primary's with its region
   * ("Replicate AWS Secrets Manager secrets across Regions").
   * @default none
   */
  readonly replicas?: readonly SecretReplica[];
  /** The secret's own (primary) region, a literal: needed with `replicas` to name their ARNs. @default none */
  readonly region?: string;
}

/** A replica of a secret: its region and the KMS key (in that region) that encrypts it. */
export interface SecretReplica {
  readonly region: string;
  readonly kmsKeyArn: string;
}

/**
 * A Secrets Manager secret whose SecretString is a JSON object of certs-dir files, readable
 * only by `readerArns` (resource policy). The value is written after the policy, so the first
 * read-back already happens under it.
 */
export class CertificateSecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly policy: SecretsmanagerSecretPolicy;
  private readonly kmsKeyId: string;
  private readonly region?: string;
  private readonly replicas: readonly SecretReplica[];

  constructor(scope: Construct, id: string, props: CertificateSecretProps) {
    super(scope, id);
    this.kmsKeyId = props.kmsKeyId;
    this.region = props.region;
    this.replicas = props.replicas ?? [];
    if (this.replicas.length > 0 && props.region === undefined) throw new Error(`CertificateSecret "${id}": replicas need the secret's own region (region)`);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.kmsKeyId,
      recoveryWindowInDays: props.recoveryWindowInDays,
      ...(this.replicas.length > 0 ? { replica: this.replicas.map((r) => ({ region: r.region, kmsKeyId: r.kmsKeyArn })) } : {}),
    });
    this.policy = new SecretsmanagerSecretPolicy(this, 'policy', {
      secretArn: this.secret.arn,
      policy: iamPolicyJson(secretReadPolicy(props.readerArns)),
      blockPublicPolicy: true,
    });
    new SecretsmanagerSecretVersion(this, 'version', {
      secretId: this.secret.id,
      secretString: Fn.jsonencode(props.files),
      dependsOn: [this.policy],
    });
  }

  get arn(): string {
    return this.secret.arn;
  }

  /** The ARN of the secret in `region`: its own, or its replica's there (the same ARN with that region). */
  arnIn(region: string): string {
    if (region === this.region || this.region === undefined) return this.secret.arn;
    if (!this.replicaIn(region)) throw new Error(`CertificateSecret "${this.node.id}" has no replica in ${region}`);
    return replicaSecretArn(this.secret.arn, this.region, region);
  }

  /**
   * The statements a principal in `region` needs to read this secret (aws-cdk's `grantRead`): the
   * secret itself in its own region, its replica and that region's key elsewhere. The principal
   * must also be one of `readerArns`. Readers in other stacks use
   * {@link certificateSecretReadStatements} with the published ARNs.
   */
  grantRead(region: string): IamStatement[] {
    const kmsKeyArn = region === this.region || this.region === undefined ? this.kmsKeyId : this.replicaIn(region)?.kmsKeyArn;
    return certificateSecretReadStatements({ secretArns: [this.arnIn(region)], kmsKeyArn: kmsKeyArn ?? this.kmsKeyId, region });
  }

  private replicaIn(region: string): SecretReplica | undefined {
    return this.replicas.find((r) => r.region === region);
  }
}

/** A replica's ARN: the primary secret's ARN with the replica's region ("The ARN for a replicated secret is the same as the primary secret except for the Region"). */
export function replicaSecretArn(primaryArn: string, primaryRegion: string, replicaRegion: string): string {
  return Fn.replace(primaryArn, `:secretsmanager:${primaryRegion}:`, `:secretsmanager:${replicaRegion}:`);
}
