import { isIpv4Cidr, parseIpv4Cidr } from '@crdb-ory/core';
import type { ConfigIssue } from './config-error';
import type { DeploymentConfig } from './schema';

/** Access entries take the IAM role or user itself, not an STS session of it. */
export function eksAdminsAreRolesOrUsers(config: DeploymentConfig): ConfigIssue[] {
  const arns = config.eks.adminPrincipalArns;
  const issues: ConfigIssue[] = arns.flatMap((arn, i) =>
    /^arn:aws[a-z-]*:iam::/.test(arn)
      ? []
      : [{ setting: `eks.adminPrincipalArns[${i}]`, value: arn, message: 'must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name>), not an STS session: EKS access entries name the role itself' }],
  );
  arns.forEach((arn, i) => {
    if (arns.indexOf(arn) !== i) issues.push({ setting: `eks.adminPrincipalArns[${i}]`, value: arn, message: 'is listed twice; each principal gets one access entry' });
  });
  return issues;
}

/** The EKS API endpoint is public for exactly `publicAccessCidrs`: never for the whole internet. */
export function eksEndpointNotWorldOpen(config: DeploymentConfig): ConfigIssue[] {
  return config.publicAccessCidrs.flatMap((text, i) => {
    const cidr = parseIpv4Cidr(text);
    return isIpv4Cidr(cidr) && cidr.prefixLength === 0
      ? [{ setting: `publicAccessCidrs[${i}]`, value: text, message: 'would open the EKS API endpoint to the whole internet; list the networks that administer the cluster (an empty list keeps the endpoint private)' }]
      : [];
  });
}

/** Every rule of the eks section. */
export function eksSettingsRule(config: DeploymentConfig): ConfigIssue[] {
  return [...eksAdminsAreRolesOrUsers(config), ...eksEndpointNotWorldOpen(config)];
}
