import { type PropProblem, isAwsRegionName } from '@crdb-ory/core';
import { Token } from 'cdktf';
import { namePrefixProblems } from '../cockroach-names';

/**
 * One region's CockroachDB nodes, as the `cockroach-pki` stack of a multi-region cluster issues
 * their certificates (issue 24: one CA, node certificates carrying each region's names).
 */
export interface PkiNodeRegion {
  /** AWS region of the nodes (a literal: it names constructs, secrets and the replica key's provider). */
  readonly region: string;
  /**
   * The region's network stack (`NetworkStack` `stackName`): its `regionalNetworkOutputs` give the
   * nodes' subnets (their fixed private IPs) and the region's private zone, under which the nodes'
   * names and the regional load balancer's `sql.<zone>` live.
   */
  readonly networkStackName: string;
  /**
   * `namePrefix` of that region's `cockroach` stack: it names the region's node roles (IAM names
   * are account-wide, so each region's differs), and the PKI publishes the region's outputs
   * (`COCKROACH_PKI_OUTPUTS`, as SSM parameters in that region) under it. The primary region's
   * must be this stack's own `namePrefix`.
   */
  readonly namePrefix: string;
}

/** Every reason the node regions cannot work, each under `nodeRegions[i]...`. */
export function pkiNodeRegionProblems(regions: readonly PkiNodeRegion[], primaryRegion: string, primaryNamePrefix: string, prop = 'nodeRegions'): PropProblem[] {
  const problems: PropProblem[] = [];
  regions.forEach((r, i) => {
    const at = `${prop}[${i}]`;
    if (Token.isUnresolved(r.region) || !isAwsRegionName(r.region)) problems.push({ prop: `${at}.region`, value: r.region, message: 'allowed is a literal AWS region, e.g. us-east-2' });
    problems.push(...namePrefixProblems(r.namePrefix, `${at}.namePrefix`));
    const twice = (key: keyof PkiNodeRegion): boolean => regions.findIndex((o) => o[key] === r[key]) !== i;
    if (twice('region')) problems.push({ prop: `${at}.region`, value: r.region, message: 'is listed twice' });
    if (twice('namePrefix')) problems.push({ prop: `${at}.namePrefix`, value: r.namePrefix, message: 'is also another region\'s: node roles are IAM roles, named account-wide, so each region needs its own prefix' });
    if (twice('networkStackName')) problems.push({ prop: `${at}.networkStackName`, value: r.networkStackName, message: 'is also another region\'s: each region has its own network stack' });
    if (r.region === primaryRegion && r.namePrefix !== primaryNamePrefix) problems.push({ prop: `${at}.namePrefix`, value: r.namePrefix, message: `must be this stack's namePrefix (${primaryNamePrefix}) in the primary region, where the PKI's own outputs are published` });
  });
  if (regions.length > 0 && !regions.some((r) => r.region === primaryRegion)) problems.push({ prop, value: regions.map((r) => r.region), message: `must list the primary region ${primaryRegion} (this stack's region), where the CA and every secret live` });
  return problems;
}
