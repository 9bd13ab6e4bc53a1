import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export interface CertificateSecretProps {
  /** Secret name, e.g. `crdb-ory/cockroach/node-1`. */
  readonly secretName: string;
  readonly description: string;
  /** KMS key that encrypts the secret. */
  readonly kmsKeyId: string;
  /** Days a deleted secret can be restored. */
  readonly recoveryWindowInDays: number;
  /** The certs-dir files the secret holds, by file name (`ca.crt`, `node.key`, ...). */
  readonly files: Record<string, string>;
}

/** A Secrets Manager secret whose SecretString is a JSON object of certs-dir files. */
export class CertificateSecret extends Construct {
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: CertificateSecretProps) {
    super(scope, id);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.kmsKeyId,
      recoveryWindowInDays: props.recoveryWindowInDays,
    });
    new SecretsmanagerSecretVersion(this, 'version', {
      secretId: this.secret.id,
      secretString: Fn.jsonencode(props.files),
    });
  }

  get arn(): string {
    return this.secret.arn;
  }
}
