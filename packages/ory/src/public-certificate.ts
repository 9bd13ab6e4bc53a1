import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { throwIfProblems } from '@crdb-ory/core';
import { TerraformIterator, Token } from 'cdktf';
import { Construct } from 'constructs';

export interface PublicCertificateProps {
  /** The public Route 53 zone's domain (it must exist). */
  readonly domain: string;
  /** Host names the certificate covers, all under `domain`. */
  readonly hostnames: readonly string[];
}

/** An ACM certificate for the public host names, validated by DNS in the domain's public zone. */
export class PublicCertificate extends Construct {
  readonly zone: DataAwsRoute53Zone;
  /** ARN of the certificate, available once it is validated. */
  readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: PublicCertificateProps) {
    super(scope, id);
    throwIfProblems(this, props.hostnames.length > 0 ? [] : [{ prop: 'hostnames', value: [], message: 'must list at least one host name' }]);
    const [first = '', ...rest] = props.hostnames;
    this.zone = new DataAwsRoute53Zone(this, 'zone', { name: props.domain, privateZone: false });
    const certificate = new AcmCertificate(this, 'certificate', {
      domainName: first,
      subjectAlternativeNames: rest,
      validationMethod: 'DNS',
      lifecycle: { createBeforeDestroy: true },
    });
    const options = TerraformIterator.fromComplexList(certificate.domainValidationOptions, 'domain_name');
    const records = new Route53Record(this, 'validation', {
      forEach: options,
      zoneId: this.zone.zoneId,
      name: options.getString('resource_record_name'),
      type: options.getString('resource_record_type'),
      records: [options.getString('resource_record_value')],
      ttl: 60,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, 'validated', {
      certificateArn: certificate.arn,
      validationRecordFqdns: Token.asList(`\${[for record in ${records.fqn} : record.fqdn]}`),
    });
    this.certificateArn = validation.certificateArn;
  }
}
