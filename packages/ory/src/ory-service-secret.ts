import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { CERT_FILES } from './cockroach-dsn';
import { generatedSecret } from './generated-secret';

export interface OryServiceSecretProps {
  /** Kubernetes namespace of the Secret. */
  readonly namespace: string;
  /** Name of the Secret, given to the chart as `secret.nameOverride`. */
  readonly secretName: string;
  /** Secrets Manager ARN of the service's client certificate: JSON `{"ca.crt", "client.<user>.crt", "client.<user>.key"}`. */
  readonly clientCertificateSecretArn: string;
  /** The SQL user the certificate belongs to (its CN). */
  readonly sqlUser: string;
  /** The service's DSN (holds no password: authentication is the client certificate). */
  readonly dsn: string;
  /**
   * Ory secrets to generate, by the Secret key the chart reads (`secretsSystem`, `secretsCipher`...)
   * and their length.
   */
  readonly generatedSecrets: Readonly<Record<string, number>>;
}

/**
 * One Ory service's Kubernetes Secret: the client certificate and CA read from Secrets Manager
 * at apply time, the DSN, and the service's Ory secrets generated once by Terraform. Nothing
 * secret is a literal in the synthesized JSON: every value is a reference.
 */
export class OryServiceSecret extends Construct {
  readonly secret: SecretV1;

  constructor(scope: Construct, id: string, props: OryServiceSecretProps) {
    super(scope, id);
    const version = new DataAwsSecretsmanagerSecretVersion(this, 'client-certificate', { secretId: props.clientCertificateSecretArn });
    const bundle = Fn.jsondecode(version.secretString);
    const generated = Object.fromEntries(
      Object.entries(props.generatedSecrets).map(([key, length]) => [key, generatedSecret(this, key, length)]),
    );
    this.secret = new SecretV1(this, 'secret', {
      metadata: {
        name: props.secretName,
        namespace: props.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'terraform', 'app.kubernetes.io/part-of': 'ory' },
      },
      type: 'Opaque',
      data: {
        [CERT_FILES.ca]: Fn.lookup(bundle, 'ca.crt'),
        [CERT_FILES.cert]: Fn.lookup(bundle, `client.${props.sqlUser}.crt`),
        [CERT_FILES.key]: Fn.lookup(bundle, `client.${props.sqlUser}.key`),
        dsn: props.dsn,
        ...generated,
      },
    });
  }

  get name(): string {
    return this.secret.metadata.name;
  }

  /** Changes whenever the Secret's content changes. */
  get resourceVersion(): string {
    return this.secret.metadata.resourceVersion;
  }
}
