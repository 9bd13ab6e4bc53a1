import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { SelfSignedCert } from '@cdktf/provider-tls/lib/self-signed-cert';
import { Construct } from 'constructs';

/** RSA 2048: what CockroachDB's own `cockroach cert` creates and every client library accepts. */
export const RSA_KEY_BITS = 2048;

export interface CockroachCaProps {
  /** Organization in the CA subject. */
  readonly organization: string;
  readonly validityHours: number;
  readonly earlyRenewalHours: number;
}

/**
 * The cluster's certificate authority. Its private key exists only in this stack's Terraform
 * state: it is never written to a secret, a node or a pod.
 */
export class CockroachCa extends Construct {
  readonly privateKey: PrivateKey;
  readonly certificate: SelfSignedCert;

  constructor(scope: Construct, id: string, props: CockroachCaProps) {
    super(scope, id);
    this.privateKey = new PrivateKey(this, 'key', { algorithm: 'RSA', rsaBits: RSA_KEY_BITS });
    this.certificate = new SelfSignedCert(this, 'cert', {
      privateKeyPem: this.privateKey.privateKeyPem,
      isCaCertificate: true,
      subject: [{ commonName: 'Cockroach CA', organization: props.organization }],
      validityPeriodHours: props.validityHours,
      earlyRenewalHours: props.earlyRenewalHours,
      allowedUses: ['cert_signing', 'crl_signing', 'digital_signature', 'key_encipherment'],
    });
  }

  get certificatePem(): string {
    return this.certificate.certPem;
  }
}
