import { IamStatement, awsDnsSuffixOf } from '@crdb-ory/core';

/** Certificate secrets and the key that encrypts them, as a reader sees them (ARNs, often read from the PKI's published outputs). */
export interface CertificateSecretReadAccess {
  readonly secretArns: readonly string[];
  readonly kmsKeyArn: string;
  /** Region of the secrets: the key is usable only through Secrets Manager there. */
  readonly region: string;
}

/**
 * What a principal needs to read certificate secrets (the grant of `CertificateSecret`, as
 * aws-cdk's `secret.grantRead`): GetSecretValue on exactly those secrets, and the key only
 * through Secrets Manager (`kms:ViaService`, AWS KMS Developer Guide, "kms:ViaService"). The
 * secret's own resource policy must also list the reader (`readerArns`).
 */
export function certificateSecretReadStatements(access: CertificateSecretReadAccess): IamStatement[] {
  return [
    { Sid: 'ReadOwnSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [...access.secretArns] },
    {
      Sid: 'DecryptThroughSecretsManager',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [access.kmsKeyArn],
      Condition: { StringEquals: { 'kms:ViaService': [`secretsmanager.${access.region}.${awsDnsSuffixOf(access.region)}`] } },
    },
  ];
}
