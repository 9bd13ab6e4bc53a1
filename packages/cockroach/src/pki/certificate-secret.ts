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

  constructor(scope: Construct, id: string, props: CertificateSecretProps) {
    super(scope, id);
    this.kmsKeyId = props.kmsKeyId;
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.kmsKeyId,
      recoveryWindowInDays: props.recoveryWindowInDays,
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

  /**
   * The statements a principal in `region` needs to read this secret (aws-cdk's `grantRead`); it
   * must also be one of `readerArns`. Readers in other stacks use
   * {@link certificateSecretReadStatements} with the published ARNs.
   */
  grantRead(region: string): IamStatement[] {
    return certificateSecretReadStatements({ secretArns: [this.secret.arn], kmsKeyArn: this.kmsKeyId, region });
  }
}
