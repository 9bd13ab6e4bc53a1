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
  /**
   * Ory secrets given by reference instead of generated (by Secret key): a multi-region
   * deployment's shared values, read from Secrets Manager. A key here is not generated.
   * @default none
   */
  readonly givenSecrets?: Readonly<Record<string, string>>;
}

/**
 * One Ory service's Kubernetes Secret: the client certificate and CA read from Secrets Manager
 * at apply time, the DSN, and the service's Ory secrets generated once by Terraform. Nothing
 * secret is a literal in the synthesized JSON: every value is a reference.
 */
export class OryServiceSecret extends Construct {
  readonly secret: SecretV1;
  /** The public certificates the Secret holds, as one PEM bundle: the CA, then the client certificate (never the key). */
  readonly certificates: string;

  constructor(scope: Construct, id: string, props: OryServiceSecretProps) {
    super(scope, id);
    const version = new DataAwsSecretsmanagerSecretVersion(this, 'client-certificate', { secretId: props.clientCertificateSecretArn });
    const bundle = Fn.jsondecode(version.secretString);
    const given = props.givenSecrets ?? {};
    const generated = Object.fromEntries(
      Object.entries(props.generatedSecrets).map(([key, length]) => [key, given[key] ?? generatedSecret(this, key, length)]),
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
    // From the Secret's own keys (fixed names): what the pods mount, in one PEM bundle.
    this.certificates = Fn.join('\n', [Fn.lookup(this.secret.data, CERT_FILES.ca), Fn.lookup(this.secret.data, CERT_FILES.cert)]);
  }

  get name(): string {
    return this.secret.metadata.name;
  }

  /**
   * SHA-256 of the Secret's content, computed by Terraform from its planned `data`: known at plan
   * time whenever the content is (a renewed certificate is read from Secrets Manager while
   * planning), unknown when a part is (a replaced `random_password`), so a release that carries it
   * is upgraded in the same apply as the Secret. Not `metadata.resource_version`: an SDKv2 provider
   * plans an in-place update with the computed attribute's old value, so the pods would roll one
   * apply late and every later plan would show a change. `nonsensitive`: a digest of high-entropy
   * keys and generated secrets reveals none of them (the charts' own `checksum/*-secrets`
   * annotations are the same kind of digest), and it keeps the releases' values reviewable in a plan.
   */
  get contentChecksum(): string {
    return Fn.nonsensitive(Fn.sha256(Fn.jsonencode(this.secret.data)));
  }
}
