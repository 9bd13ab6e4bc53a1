import { problemAt, stackRule, type LocatedProblem } from '../declare-rule';
import { coversPort, declaredPublicPorts, describePorts, ingressPermissions } from '../security-group-ingress';

/** CRDB-SG-001: nothing admits 0.0.0.0/0 or ::/0, except ports a construct declared public. */
export const SG_NO_WORLD_INGRESS = stackRule({
  id: 'CRDB-SG-001',
  description: 'No security group ingress from 0.0.0.0/0 or ::/0, except load balancer ports declared public (80/443).',
  fix: 'restrict the source to the VPC CIDR or a security group; for a public load balancer listener, call declarePublicIngress(<construct>, [80, 443], <reason>) and open only those ports',
  check(stack, context) {
    return ingressPermissions(stack, context).flatMap((permission): LocatedProblem[] => {
      const where = describePorts(permission);
      return permission.sources.flatMap((source): LocatedProblem[] => {
        if (source.kind === 'unknown' || source.kind === 'prefix-list') {
          return [
            problemAt(permission.entry, {
              message: `ingress on ${where} from ${source.text}, which cannot be evaluated at synthesis (it might be the internet)`,
              fix: 'use a literal CIDR, a security group, or a CIDR output of the network stack contract',
            }),
          ];
        }
        if (source.kind !== 'world') return [];
        const declared = declaredPublicPorts(stack, permission);
        const allDeclared = permission.ports !== undefined && rangeIsDeclared(permission.ports, declared);
        if (allDeclared && [...declared].some((port) => coversPort(permission, port))) return [];
        return [problemAt(permission.entry, `ingress from ${source.text} on ${where}`)];
      });
    });
  },
});

function rangeIsDeclared(ports: { from: number; to: number }, declared: Set<number>): boolean {
  if (ports.to - ports.from > 65535) return false;
  for (let port = ports.from; port <= ports.to; port++) if (!declared.has(port)) return false;
  return true;
}
