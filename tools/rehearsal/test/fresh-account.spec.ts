import { describe, expect, it } from 'vitest';
import { requestedQuotaIncreases, requestedVcpus, stopMessage, stoppedAtCheck } from '../src/fresh-account';

/** What terraform prints when a plan-time check stops a plan (wrapped in its box, as the CLI prints it). */
const STOPPED = `
Planning failed. Terraform encountered an error while generating this plan.

╷
│ Error: Resource postcondition failed
│
│   on cdk.tf.json line 12, in data.aws_servicequotas_service_quota.node-vcpus_quota_1A2B3C4D:
│   12:       "condition": "\${(self.value >= tonumber(local.node-vcpus_needed_5E6F7A8B))}",
│
│ cockroach.instanceType "m6i.2xlarge": 3 nodes need 24 On-Demand standard vCPUs, but the quota
│ L-1216C47A ("Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances") of this account in
│ us-east-1 is 5. Request an increase of L-1216C47A to at least 64 in us-east-1 (Service Quotas
│ console, or aws service-quotas request-service-quota-increase --region us-east-1 --service-code ec2
│ --quota-code L-1216C47A --desired-value 64); then plan again.
╵
`;

describe('the fresh-account step', () => {
  it('reads the quota increase the stopped plan asks for, across terraform\'s line wrapping', () => {
    expect(requestedVcpus(STOPPED)).toBe(64);
    expect(requestedVcpus('Plan: 3 to add, 0 to change, 0 to destroy.')).toBeUndefined();
  });

  it('reports the stop as the one line an operator reads', () => {
    expect(stopMessage(STOPPED)).toMatch(/^Error: Resource postcondition failed .* cockroach\.instanceType "m6i\.2xlarge": 3 nodes need 24 .* --desired-value 64\); then plan again\.$/);
  });

  it('reads every quota a second environment\'s stopped plan asks for, each once at its highest value, wrapped anywhere', () => {
    const eips = STOPPED.replace('--service-code ec2\n│ --quota-code L-1216C47A --desired-value 64', '--service-code\n│ ec2 --quota-code L-0263D0A3 --desired-value 6');
    const both = `${STOPPED}${eips}${STOPPED.replace('--desired-value 64', '--desired-value 60')}`;
    expect(requestedQuotaIncreases(both)).toEqual([
      { region: 'us-east-1', serviceCode: 'ec2', quotaCode: 'L-1216C47A', desiredValue: 64 },
      { region: 'us-east-1', serviceCode: 'ec2', quotaCode: 'L-0263D0A3', desiredValue: 6 },
    ]);
    expect(stoppedAtCheck(eips)).toBe(true);
    expect(stoppedAtCheck('Error: creating EC2 Instance: VcpuLimitExceeded --quota-code L-1216C47A --desired-value 64')).toBe(false);
    expect(requestedQuotaIncreases('Plan: 3 to add, 0 to change, 0 to destroy.')).toEqual([]);
  });

  it('requests each quota in the Region the check names: quotas are per Region, and a multi-region deployment meets a fresh one in each', () => {
    const east2 = STOPPED.replace(/us-east-1/g, 'us-east-2').replace('--desired-value 64', '--desired-value 40');
    expect(requestedQuotaIncreases(`${STOPPED}${east2}`)).toEqual([
      { region: 'us-east-1', serviceCode: 'ec2', quotaCode: 'L-1216C47A', desiredValue: 64 },
      { region: 'us-east-2', serviceCode: 'ec2', quotaCode: 'L-1216C47A', desiredValue: 40 },
    ]);
  });
});
