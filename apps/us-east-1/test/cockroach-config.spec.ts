import { CockroachPkiStack, CockroachStack, DEFAULT_COCKROACH_SHA256 } from '@crdb-ory/cockroach';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config';
import { buildStacks } from '../src/stacks';
import { deployableIssuesOf as issuesOf, withOperatorAccess } from './helpers';

describe('cockroach configuration', () => {
  it('composes the cockroach-pki and cockroach stacks from the defaults', () => {
    const app = Testing.app();
    buildStacks(app, resolveConfig(undefined));
    expect(app.node.findChild('cockroach-pki')).toBeInstanceOf(CockroachPkiStack);
    expect(app.node.findChild('cockroach')).toBeInstanceOf(CockroachStack);
  });

  it('passes the settings through to the stacks', () => {
    const app = Testing.app();
    buildStacks(app, resolveConfig(withOperatorAccess({ cockroach: { instanceType: 'r6i.2xlarge', adminCidrs: ['192.168.0.0/24'], sqlUsers: { hydra: 'hydra_app' } } })));
    const json = JSON.parse(Testing.synth(app.node.findChild('cockroach') as CockroachStack));
    expect(Object.values<any>(json.resource.aws_instance).map((i) => i.instance_type)).toEqual(['r6i.2xlarge', 'r6i.2xlarge', 'r6i.2xlarge']);
    expect(json.output.hydra_sql_user.value).toBe('hydra_app');
    expect(Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule).some((r) => r.cidr_ipv4 === '192.168.0.0/24' && r.from_port === 8080)).toBe(true);
  });

  it('names the setting, the value and what is allowed', () => {
    expect(issuesOf({ cockroach: { instanceType: 't3.xlarge' } })).toEqual([expect.stringMatching(/^cockroach\.instanceType: .*burstable types are not allowed/)]);
    expect(issuesOf({ cockroach: { version: 'v25.4.9' } })).toEqual([expect.stringMatching(/^cockroach\.binarySha256: .*checksum of v25\.4\.0, but cockroachVersion is v25\.4\.9/)]);
    expect(issuesOf({ cockroach: { version: 'v25.4.9', binarySha256: 'a'.repeat(64) } })).toEqual([]);
    expect(issuesOf({ cockroach: { sqlUsers: { keto: 'hydra' } } })).toEqual([expect.stringMatching(/^cockroach\.sqlUsers: .*four distinct names/)]);
    expect(issuesOf({ cockroach: { certificates: { earlyRenewalHours: 9000 } } })).toEqual([expect.stringMatching(/^cockroach\.certificates: .*earlyRenewalHours \(9000\) must be below/)]);
    expect(issuesOf({ cockroach: { dataVolume: { sizeGiB: 10 } } })).toEqual([expect.stringMatching(/^cockroach\.dataVolume: iops 6000 exceeds 500 per GiB/)]);
    expect(issuesOf({ cockroach: { licenseSecretArn: 'crl-0-abc' } })).toEqual([expect.stringMatching(/^cockroach\.licenseSecretArn: must be a Secrets Manager secret ARN/)]);
    expect(issuesOf({ cockroach: { binarySha256: 'xyz' } })).toEqual([expect.stringMatching(/^cockroach\.binarySha256: must be 64 lowercase hex digits/)]);
    expect(DEFAULT_COCKROACH_SHA256).toHaveLength(64);
  });
});
