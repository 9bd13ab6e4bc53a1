import {
  DEFAULT_KETO_NAMESPACES,
  DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
  DEFAULT_ORY_NAMESPACE,
  DEFAULT_SQL_MAX_CONNS,
  DEFAULT_SQL_MAX_CONN_LIFETIME_SECONDS,
  ORY_CHART_REPOSITORY,
  ORY_CHART_VERSION,
  WORKLOAD_DEFAULTS,
} from '@crdb-ory/ory';
import { z } from 'zod';

const chartVersion = z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a chart version like 0.62.1');
const cpuQuantity = z.string().regex(/^(\d+m|\d+(\.\d+)?)$/, 'must be a Kubernetes CPU quantity like 250m or 1');
const memoryQuantity = z.string().regex(/^\d+(Ki|Mi|Gi)$/, 'must be a Kubernetes memory quantity like 256Mi or 1Gi');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://hydra.example.com/' });

/** How one Ory service runs. */
const workload = {
  /** Pods, spread across the three zones (1-30: the ory library's ORY_REPLICA_LIMITS). */
  replicas: z.number().int(),
  /** Image tag; absent: the chart's own (v26.2.0 with chart 0.62.1). */
  imageTag: z.string().regex(/^v\d+\.\d+\.\d+$/, 'must be an Ory release tag like v26.2.0').optional(),
  cpuRequest: cpuQuantity,
  memoryRequest: memoryQuantity,
  memoryLimit: memoryQuantity,
};

/** Settings of the `ory` stack. */
export const oryConfig = z.strictObject({
  /** Version of Ory's Helm charts (Hydra, Kratos, Keto) from `chartRepository`. */
  chartVersion,
  /** Ory's chart repository. */
  chartRepository: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
  /** Kubernetes namespace of the three releases and their Secrets. */
  namespace: z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace name (a-z, 0-9, "-")'),
  /** Version of the AWS Load Balancer Controller chart (https://aws.github.io/eks-charts). */
  loadBalancerControllerChartVersion: chartVersion,
  hydra: z.strictObject({
    ...workload,
    /** Issuer and public URL; absent: https://hydra.<domain>/, or the port-forward address without a domain. */
    issuerUrl: httpUrl.optional(),
    /** hydra-maester (OAuth2Client custom resources). */
    maesterEnabled: z.boolean(),
  }),
  kratos: z.strictObject({
    ...workload,
    /** Public base URL; absent: https://kratos.<domain>/, or the port-forward address without a domain. */
    publicUrl: httpUrl.optional(),
    /** Reject breached passwords (haveibeenpwned); needs egress through the NAT gateways. */
    breachedPasswordCheck: z.boolean(),
  }),
  keto: z.strictObject({
    ...workload,
    /** Relation-tuple namespaces; ids are positions, so only append. What a namespace may be is the ory library's rule (ketoNamespaceProblems). */
    namespaces: z.array(z.string()),
    /** Publish the read API through the public load balancer (the write API never is). */
    exposeReadApi: z.boolean(),
  }),
  /**
   * Workloads of the cluster allowed to call the admin APIs (Hydra 4445, Kratos 4434) and Keto's
   * read and write APIs (NetworkPolicy): a namespace, optionally only its pods with `podLabels`.
   * Nothing else in the cluster reaches them; `kubectl port-forward` is not affected.
   */
  apiClients: z.array(z.strictObject({ namespace: z.string(), podLabels: z.record(z.string(), z.string()).optional() })),
  /** Connection pool of every service; what each may be is the ory library's rule (oryPoolProblems, ORY_SQL_POOL_LIMITS). */
  sql: z.strictObject({
    /** Connections per pod (1-100). */
    maxConns: z.number().int(),
    /** Seconds a pooled connection lives (10-349): below the NLB's 350 s idle timeout and below cockroach.drain.connectionsTimeoutSeconds. */
    maxConnLifetimeSeconds: z.number().int(),
  }),
});

export type OryConfig = z.infer<typeof oryConfig>;

export const ORY_DEFAULTS: OryConfig = {
  chartVersion: ORY_CHART_VERSION,
  chartRepository: ORY_CHART_REPOSITORY,
  namespace: DEFAULT_ORY_NAMESPACE,
  loadBalancerControllerChartVersion: DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
  hydra: { ...WORKLOAD_DEFAULTS, maesterEnabled: false },
  kratos: { ...WORKLOAD_DEFAULTS, breachedPasswordCheck: true },
  keto: { ...WORKLOAD_DEFAULTS, namespaces: [...DEFAULT_KETO_NAMESPACES], exposeReadApi: false },
  apiClients: [],
  sql: { maxConns: DEFAULT_SQL_MAX_CONNS, maxConnLifetimeSeconds: DEFAULT_SQL_MAX_CONN_LIFETIME_SECONDS },
};
