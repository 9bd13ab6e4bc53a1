import { ORY_PORTS } from './ory-ports';

export interface OryEndpointsInput {
  /** Public DNS domain; without one the stack runs in non-production mode. */
  readonly domain?: string;
  /** Kubernetes namespace of the releases. */
  readonly namespace: string;
  /** Overrides Hydra's issuer (and public URL). */
  readonly hydraIssuerUrl?: string;
  /** Overrides Kratos's public base URL. */
  readonly kratosPublicUrl?: string;
  /** Whether Keto's read API is published through the public load balancer. */
  readonly exposeKetoRead: boolean;
}

/** One service port published through the internet-facing load balancer. */
export interface PublicEndpoint {
  /** Kubernetes Service name (chart naming: `<release>-<component>`). */
  readonly serviceName: string;
  readonly port: number;
  /** Host name under the domain; undefined without a domain (the port distinguishes services). */
  readonly host?: string;
}

export interface OryEndpoints {
  /** True without a domain: Hydra runs with `--dev` (http issuer allowed). Not for production. */
  readonly devMode: boolean;
  readonly hydraIssuerUrl: string;
  readonly hydraAdminUrl: string;
  readonly kratosPublicUrl: string;
  readonly kratosAdminUrl: string;
  readonly ketoReadUrl: string;
  readonly ketoWriteUrl: string;
  /** What the public load balancer routes to. Admin and write ports are never in this list. */
  readonly publicEndpoints: readonly PublicEndpoint[];
}

/** Host labels under the domain: `hydra.<domain>`, `kratos.<domain>`, `keto.<domain>`. */
export const PUBLIC_HOST_LABELS = { hydra: 'hydra', kratos: 'kratos', keto: 'keto' } as const;

/**
 * The URLs each service announces and the endpoints the load balancer publishes. With a domain
 * everything public is HTTPS under it; without one the public URLs are the `kubectl
 * port-forward` addresses, which is what Hydra's chart assumes for ClusterIP services too.
 */
export function resolveOryEndpoints(input: OryEndpointsInput): OryEndpoints {
  const internal = (service: string, port: number) => `http://${service}.${input.namespace}.svc.cluster.local:${port}/`;
  const publicUrl = (label: string, port: number) => (input.domain ? `https://${label}.${input.domain}/` : `http://127.0.0.1:${port}/`);
  const host = (label: string) => (input.domain ? `${label}.${input.domain}` : undefined);
  const publicEndpoints: PublicEndpoint[] = [
    { serviceName: 'hydra-public', port: ORY_PORTS.hydraPublic, host: host(PUBLIC_HOST_LABELS.hydra) },
    { serviceName: 'kratos-public', port: ORY_PORTS.kratosPublic, host: host(PUBLIC_HOST_LABELS.kratos) },
    ...(input.exposeKetoRead ? [{ serviceName: 'keto-read', port: ORY_PORTS.ketoRead, host: host(PUBLIC_HOST_LABELS.keto) }] : []),
  ];
  return {
    devMode: !input.domain,
    hydraIssuerUrl: input.hydraIssuerUrl ?? publicUrl(PUBLIC_HOST_LABELS.hydra, ORY_PORTS.hydraPublic),
    hydraAdminUrl: internal('hydra-admin', ORY_PORTS.hydraAdmin),
    kratosPublicUrl: input.kratosPublicUrl ?? publicUrl(PUBLIC_HOST_LABELS.kratos, ORY_PORTS.kratosPublic),
    kratosAdminUrl: internal('kratos-admin', ORY_PORTS.kratosAdmin),
    ketoReadUrl: input.exposeKetoRead && input.domain ? `https://${host(PUBLIC_HOST_LABELS.keto)}/` : internal('keto-read', ORY_PORTS.ketoRead),
    ketoWriteUrl: internal('keto-write', ORY_PORTS.ketoWrite),
    publicEndpoints,
  };
}
