import { CertRequest } from '@cdktf/provider-tls/lib/cert-request';
import { LocallySignedCert } from '@cdktf/provider-tls/lib/locally-signed-cert';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key';
import { Construct } from 'constructs';
import { CockroachCa, RSA_KEY_BITS } from './cockroach-ca';

/** Key usages CockroachDB requires of a node certificate (it is both server and client). */
export const NODE_CERT_USES = ['digital_signature', 'key_encipherment', 'server_auth', 'client_auth'];
/** Key usages of a SQL client certificate. */
export const CLIENT_CERT_USES = ['digital_signature', 'key_encipherment', 'client_auth'];

export interface SignedCertificateProps {
  readonly ca: CockroachCa;
  /** `node` for node certificates, the SQL user name for client certificates. */
  readonly commonName: string;
  readonly organization: string;
  readonly allowedUses: string[];
  readonly validityHours: number;
  readonly earlyRenewalHours: number;
  /** @default none */
  readonly dnsNames?: string[];
  /** @default none */
  readonly ipAddresses?: string[];
}

/** A key pair and a certificate signed by the cluster CA. */
export class SignedCertificate extends Construct {
  readonly privateKey: PrivateKey;
  readonly certificate: LocallySignedCert;

  constructor(scope: Construct, id: string, props: SignedCertificateProps) {
    super(scope, id);
    this.privateKey = new PrivateKey(this, 'key', { algorithm: 'RSA', rsaBits: RSA_KEY_BITS });
    const request = new CertRequest(this, 'request', {
      privateKeyPem: this.privateKey.privateKeyPem,
      subject: [{ commonName: props.commonName, organization: props.organization }],
      dnsNames: props.dnsNames,
      ipAddresses: props.ipAddresses,
    });
    this.certificate = new LocallySignedCert(this, 'cert', {
      certRequestPem: request.certRequestPem,
      caPrivateKeyPem: props.ca.privateKey.privateKeyPem,
      caCertPem: props.ca.certificatePem,
      validityPeriodHours: props.validityHours,
      earlyRenewalHours: props.earlyRenewalHours,
      allowedUses: props.allowedUses,
    });
  }
}
