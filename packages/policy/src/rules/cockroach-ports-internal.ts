import { declaredAdminNetworkFor } from '../network-sources';
import { problemAt, stackRule, type LocatedProblem } from '../declare-rule';
import { coveredPorts, ingressPermissions } from '../security-group-ingress';

/** CockroachDB SQL/inter-node and DB Console/health ports. */
export const COCKROACH_PORTS: readonly number[] = [26257, 8080];

/**
 * CRDB-SG-002: CockroachDB ports only from the CockroachDB VPC, the Ory VPC, security groups, or
 * an admin network the deployment declares for those ports (`PolicyContext.adminNetworks`).
 */
export const COCKROACH_PORTS_INTERNAL = stackRule({
  id: 'CRDB-SG-002',
  description:
    'CockroachDB ports 26257 and 8080 are reachable only from the CockroachDB VPC, the Ory VPC, a security group (e.g. the EKS nodes), or a declared admin network on the ports it is declared for (cockroach.adminCidrs: 8080).',
  fix: 'admit only the CockroachDB/Ory VPC CIDRs (network contract outputs cockroach_vpc_cidr, ory_vpc_cidr, *_private_subnet_cidrs) or a security group such as the EKS node security group; an operators\' network (VPN, bastion) for the DB Console is declared in cockroach.adminCidrs (8080 only)',
  check(stack, context) {
    return ingressPermissions(stack, context).flatMap((permission): LocatedProblem[] => {
      const ports = coveredPorts(permission, COCKROACH_PORTS);
      if (ports.length === 0) return [];
      return permission.sources
        .filter((source) => source.kind !== 'vpc' && source.kind !== 'security-group')
        .filter((source) => declaredAdminNetworkFor(source, ports, context) === undefined)
        .map((source) =>
          problemAt(
            permission.entry,
            `CockroachDB port(s) ${ports.join(', ')} open to ${source.text} (${source.kind === 'unknown' ? 'cannot be evaluated at synthesis' : `a ${source.kind} source outside the CockroachDB and Ory VPCs`})`,
          ),
        );
    });
  },
});
