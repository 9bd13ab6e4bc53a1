import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { PropProblem, throwIfProblems } from '@crdb-ory/core';
import { Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { PublicEndpoint, resolveOryEndpoints } from './ory-endpoints';
import { ORY_PRIVILEGED_PORTS } from './ory-ports';

export const ALB_ANNOTATION_PREFIX = 'alb.ingress.kubernetes.io';

/** Modern TLS only (TLS 1.3 and 1.2 with forward secrecy). */
export const ALB_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Default quota of inbound rules per security group; the controller writes one per CIDR and listener port. */
export const SECURITY_GROUP_INBOUND_RULES_QUOTA = 60;

/** The ALB's listener ports: 443 with HTTPS, else each public service's own port. */
export function albListenerPorts(endpoints: readonly PublicEndpoint[], https: boolean): number[] {
  return https ? [443] : [...new Set(endpoints.map((endpoint) => endpoint.port))];
}

/**
 * How many `publicAccessCidrs` the load balancer's security group can hold for a configuration:
 * HTTPS with a domain (one listener), plain HTTP on each public port without one.
 */
export function publicAccessCidrLimit(input: { readonly domain?: string; readonly exposeKetoReadApi?: boolean }): { limit: number; listenerPorts: number[] } {
  const endpoints = resolveOryEndpoints({ domain: input.domain, namespace: 'ory', exposeKetoRead: input.exposeKetoReadApi ?? false }).publicEndpoints;
  const listenerPorts = albListenerPorts(endpoints, input.domain !== undefined);
  return { limit: Math.floor(SECURITY_GROUP_INBOUND_RULES_QUOTA / listenerPorts.length), listenerPorts };
}

export interface PublicIngressProps {
  readonly namespace: string;
  /** Ingress group: every Ingress of the group shares one ALB. */
  readonly groupName: string;
  /** What to publish; admin and write ports are refused. */
  readonly endpoints: readonly PublicEndpoint[];
  /** Source CIDRs allowed through the ALB's security group. Must not be empty. */
  readonly allowedCidrs: readonly string[];
  /** Public subnets of the ALB, one per AZ. */
  readonly publicSubnetIds: string[];
  /** ACM certificate for HTTPS (then every endpoint needs a host). Without one, plain HTTP on each service's own port. */
  readonly certificateArn?: string;
  /** Resources that must exist first (the releases that create the Services). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * One internet-facing ALB (an Ingress group) in front of Ory's public ports, reachable only
 * from `allowedCidrs`. With a certificate: HTTPS on 443 with host-based rules. Without: HTTP on
 * each service's own port (4444, 4433), the documented non-production mode.
 */
export class PublicIngress extends Construct {
  readonly ingresses: IngressV1[];

  constructor(scope: Construct, id: string, props: PublicIngressProps) {
    super(scope, id);
    throwIfProblems(this, publicIngressProblems(props));
    this.ingresses = props.endpoints.map(
      (endpoint) =>
        new IngressV1(this, endpoint.serviceName, {
          metadata: { name: endpoint.serviceName, namespace: props.namespace, annotations: albAnnotations(props, endpoint) },
          spec: {
            ingressClassName: 'alb',
            rule: [
              {
                ...(endpoint.host ? { host: endpoint.host } : {}),
                http: {
                  path: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: { service: { name: endpoint.serviceName, port: { number: endpoint.port } } },
                    },
                  ],
                },
              },
            ],
          },
          waitForLoadBalancer: true,
          dependsOn: props.dependsOn,
        }),
    );
  }

  /** The ALB's DNS name, once the controller has created it. */
  get loadBalancerHostname(): string {
    const first = this.ingresses[0];
    if (!first) throw new Error('PublicIngress has no endpoint.');
    return first.status.get(0).loadBalancer.get(0).ingress.get(0).hostname;
  }
}

/** Every reason the public ingress would expose too much, nothing, or more rules than its security group holds. */
export function publicIngressProblems(props: PublicIngressProps): PropProblem[] {
  const problems: PropProblem[] = [];
  const cidrs = props.allowedCidrs.length;
  if (cidrs === 0) problems.push({ prop: 'allowedCidrs', value: [], message: 'must not be empty (nothing would be reachable, or everything)' });
  const ports = albListenerPorts(props.endpoints, props.certificateArn !== undefined);
  if (cidrs * ports.length > SECURITY_GROUP_INBOUND_RULES_QUOTA) {
    problems.push({
      prop: 'allowedCidrs',
      value: `${cidrs} CIDRs`,
      message: `on listener ports ${ports.join(', ')} need ${cidrs * ports.length} security group rules; a security group holds ${SECURITY_GROUP_INBOUND_RULES_QUOTA} inbound rules (default quota)`,
    });
  }
  props.endpoints.forEach((endpoint, i) => {
    if (ORY_PRIVILEGED_PORTS.includes(endpoint.port)) {
      problems.push({ prop: `endpoints[${i}].port`, value: endpoint.port, message: `port ${endpoint.port} of ${endpoint.serviceName} is an Ory admin or write port and must stay cluster-internal` });
    }
    if (props.certificateArn && !endpoint.host) problems.push({ prop: `endpoints[${i}].host`, value: endpoint.host, message: `${endpoint.serviceName} needs a host name when HTTPS is on` });
  });
  return problems;
}

function albAnnotations(props: PublicIngressProps, endpoint: PublicEndpoint): Record<string, string> {
  const listener = props.certificateArn ? [{ HTTPS: 443 }] : [{ HTTP: endpoint.port }];
  const annotations: Record<string, string> = {
    'group.name': props.groupName,
    scheme: 'internet-facing',
    'target-type': 'ip',
    'inbound-cidrs': props.allowedCidrs.join(','),
    subnets: Fn.join(',', props.publicSubnetIds),
    'listen-ports': JSON.stringify(listener),
    'healthcheck-path': '/health/ready',
    'success-codes': '200',
    ...(props.certificateArn ? { 'certificate-arn': props.certificateArn, 'ssl-policy': ALB_SSL_POLICY } : {}),
  };
  return Object.fromEntries(Object.entries(annotations).map(([key, value]) => [`${ALB_ANNOTATION_PREFIX}/${key}`, value]));
}
