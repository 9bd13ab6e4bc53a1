import { CommandRunner } from './command-runner';

/** A target's health as the load balancer reports it; `unknown` when it could not be asked. */
export interface TargetHealth {
  readonly state: string;
  readonly reason?: string;
}

/** Reads a target's health in a target group (`aws elbv2 describe-target-health`, AwsTargetHealth in production). */
export interface TargetHealthReader {
  health(targetGroupArn: string, instanceId: string): TargetHealth;
}

/**
 * `aws elbv2 describe-target-health --target-group-arn <arn> --targets Id=<instance>` on the
 * operator's machine (IAM: elasticloadbalancing:DescribeTargetHealth). The states and reason
 * codes are the API's TargetHealth (Elastic Load Balancing API Reference): `initial` while the
 * target registers and passes its first checks, then `healthy` or `unhealthy`, `draining` while
 * it deregisters, `unused` when not registered.
 */
export class AwsTargetHealth implements TargetHealthReader {
  constructor(
    private readonly region: string,
    private readonly exec: CommandRunner,
  ) {}

  health(targetGroupArn: string, instanceId: string): TargetHealth {
    const result = this.exec('aws', ['elbv2', 'describe-target-health', '--target-group-arn', targetGroupArn, '--targets', `Id=${instanceId}`, '--region', this.region, '--output', 'json']);
    if (result.status !== 0) return { state: 'unknown', reason: (result.stderr.trim().split('\n')[0] ?? '') || `exit ${result.status}` };
    try {
      const description = (JSON.parse(result.stdout) as { TargetHealthDescriptions?: Array<{ TargetHealth?: { State?: string; Reason?: string } }> }).TargetHealthDescriptions?.[0]?.TargetHealth;
      return description?.State ? { state: description.State, ...(description.Reason ? { reason: description.Reason } : {}) } : { state: 'unknown', reason: 'no TargetHealthDescriptions in the answer' };
    } catch {
      return { state: 'unknown', reason: 'the answer is not JSON' };
    }
  }
}
