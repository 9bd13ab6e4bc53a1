import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS, DEFAULT_COCKROACH_ALARMS, bootstrapCompleteCondition, bootstrapPendingMessage } from '@crdb-ory/cockroach';
import { ProductStack, ProductStackProps, RemoteOutputs, configureAwsProvider, publishOutputs, remoteStateId } from '@crdb-ory/core';
import { EKS_OUTPUTS, EksApiAccess, hasOperatorApiAccess, operatorApiAccessPrecondition, warnNoOperatorApiAccess } from '@crdb-ory/eks';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';
import { Annotations, Fn, ITerraformDependable, TerraformElement } from 'cdktf';
import { Construct } from 'constructs';
import { AwsLoadBalancerController } from './aws-load-balancer-controller';
import { findOryExposureViolations } from './exposure-policy';
import { OryApiClient, OryNetworkPolicies } from './network-policies';
import { configureClusterProviders } from './cluster-providers';
import { DEFAULT_SQL_MAX_CONNS, DEFAULT_SQL_MAX_CONN_LIFETIME_SECONDS, cockroachDsn } from './cockroach-dsn';
import { hydraValues } from './hydra-values';
import { ketoValues } from './keto-values';
import { kratosValues } from './kratos-values';
import { ORY_OUTPUTS, ORY_STACK_NAME } from './ory-outputs';
import { oryUpstreamContracts } from './ory-upstream';
import { OryMigrations } from './ory-migrations';
import { ORY_GENERATED_SECRETS, OrySharedSecretsReference, sharedSecretKey } from './shared-secrets';
import { OryEndpoints, PublicEndpoint, resolveOryEndpoints } from './ory-endpoints';
import { ORY_CHART_REPOSITORY, ORY_CHART_VERSION, oryRelease } from './ory-release';
import { ORY_SERVICES, OryServiceName } from './ory-ports';
import { OryServiceSecret } from './ory-service-secret';
import { PresentedCertificates } from './presented-certificates';
import { PublicCertificate } from './public-certificate';
import { PublicIngress } from './public-ingress';
import { PublicLoadBalancerAlarms, oryIngressGroupName } from './public-load-balancer-alarms';
import { validateOryStackProps } from './validate-props';
import { OryWorkloadSettings } from './workload-settings';

export interface OryStackProps extends ProductStackProps {
  readonly region: string;
  /** Tags on every taggable AWS resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Prefix of AWS names; the ALB's ingress group is `<namePrefix>-ory`. */
  readonly namePrefix: string;
  /**
   * End users' CIDRs allowed to reach Hydra's and Kratos's public APIs through the public load
   * balancer. Operator access to the Kubernetes API is a separate setting of the eks stack.
   * @default [] (no load balancer: nothing is public)
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * How operators reach the cluster's Kubernetes API: the same lists the eks stack was given.
   * The kubernetes and helm providers of this stack need that access; when both lists are empty
   * the plan stops at reading the eks stack's state, before anything is created, and synthesis
   * warns. @default not checked (the deploying machine is assumed to reach the API)
   */
  readonly clusterApiAccess?: EksApiAccess;
  /**
   * Public domain with a Route 53 public zone: HTTPS on `hydra.<domain>` and `kratos.<domain>` with
   * an ACM certificate and DNS records. @default none: non-production mode (Hydra `--dev`, plain
   * HTTP, port-forward URLs), with a synth-time warning
   */
  readonly domain?: string;
  /** Kubernetes namespace of the releases and Secrets. @default 'ory' */
  readonly namespace?: string;
  /** Helm repository of Ory's charts. @default 'https://k8s.ory.com/helm/charts' */
  readonly chartRepository?: string;
  /** Version of the Hydra, Kratos and Keto charts. @default '0.62.1' */
  readonly chartVersion?: string;
  /** Version of the AWS Load Balancer Controller chart. @default '1.14.0' */
  readonly loadBalancerControllerChartVersion?: string;
  /** Hydra's pods. @default 3 replicas, 250m CPU / 256Mi requested, 512Mi limit */
  readonly hydra?: OryWorkloadSettings;
  /** Kratos's pods. @default as for hydra */
  readonly kratos?: OryWorkloadSettings;
  /** Keto's pods. @default as for hydra */
  readonly keto?: OryWorkloadSettings;
  /** Hydra's issuer. @default `https://hydra.<domain>/`, or `http://127.0.0.1:4444/` (port-forward) without a domain */
  readonly hydraIssuerUrl?: string;
  /** Kratos's public base URL. @default `https://kratos.<domain>/`, or `http://127.0.0.1:4433/` without a domain */
  readonly kratosPublicUrl?: string;
  /** Install hydra-maester (OAuth2Client custom resources). @default false */
  readonly hydraMaesterEnabled?: boolean;
  /** Reject passwords found in breaches (haveibeenpwned; needs egress through NAT). @default true */
  readonly kratosBreachedPasswordCheck?: boolean;
  /** Keto namespaces; ids are list positions, so only append. @default ['documents'] */
  readonly ketoNamespaces?: readonly string[];
  /** Publish Keto's read API through the public load balancer. @default false (cluster-internal) */
  readonly exposeKetoReadApi?: boolean;
  /** SQL connections per pod (`max_conns`). @default 10 */
  readonly sqlMaxConns?: number;
  /**
   * Seconds a pooled SQL connection lives (`max_conn_lifetime`); below the NLB's 350 s idle
   * timeout and below the CockroachDB drain's connections timeout (the cockroach stack's
   * `drain.connectionsTimeoutSeconds`), or every drain cuts pooled connections.
   * @default DEFAULT_SQL_MAX_CONN_LIFETIME_SECONDS (300)
   */
  readonly sqlMaxConnLifetimeSeconds?: number;
  /** Alarms on the target health of the public load balancer, when there is one (on the network stack's alarm topic). @default true */
  readonly publicLoadBalancerAlarms?: boolean;
  /**
   * Alarm (on the network stack's alarm topic) when a certificate a service presents to
   * CockroachDB, as its pods run it, has fewer days left; the CockroachDB nodes publish the days
   * from what this stack records after each rollout (presented-certificates.ts). `false`: no alarms.
   * @default 30
   */
  readonly certificateExpiryAlarmDays?: number | false;
  /**
   * Workloads of the cluster allowed to call Hydra's and Kratos's admin APIs and Keto's read and
   * write APIs (NetworkPolicy): a namespace, optionally narrowed to pods with given labels.
   * Everything else in the cluster is denied. `kubectl port-forward` (the verifier, operators)
   * goes through the node and is not affected.
   * @default [] (nobody in the cluster)
   */
  readonly apiClients?: readonly OryApiClient[];
  /**
   * Hydra's and Kratos's secrets (system, cookie, default, cipher) from the shared Secrets Manager
   * secret `OrySharedSecrets` creates (read in this stack's region, from its replica) instead of
   * generated by this stack: every region of a multi-region deployment must use the same ones,
   * or tokens and cookies issued in one region do not verify in another. This stack deploys after
   * the stack that creates the secret. The values stay out of the synthesized JSON (references).
   * @default none: generated by this stack (random_password), the single-region behaviour
   */
  readonly sharedSecrets?: OrySharedSecretsReference;
  /**
   * The Ory stack that runs the SQL migrations (the primary region's), when it is not this one:
   * this stack's charts migrate nothing and each pod waits, in an init container, until that
   * region's migrations are applied (`OryMigrations` 'wait'); this stack deploys after it.
   * @default none: this stack runs the migrations (the charts' migration Job)
   */
  readonly migrationsRunBy?: string;
  /**
   * CNAME records `hydra.<domain>` (and `kratos.`, `keto.`) to this stack's load balancer, when a
   * domain and public access are set. `false` in a multi-region app: the names are routed across
   * regions by `OryPublicFailover` instead (two regions' simple records would overwrite each other).
   * @default true
   */
  readonly publicDnsRecords?: boolean;
}

/** Days before expiry from which a certificate Ory presents alarms (the same default as the nodes' own certificates). */
export const DEFAULT_CERTIFICATE_EXPIRY_ALARM_DAYS = DEFAULT_COCKROACH_ALARMS.certificateExpiryDays;

/** Synthesis warning when `clusterApiAccess` admits nobody: the plan stops at the eks state read. */
export const ORY_NO_API_ACCESS_WARNING =
  'clusterApiAccess admits no network to the Kubernetes API (eks.endpointPrivateAccessCidrs and eks.endpointPublicAccessCidrs are empty): `cdktf deploy ory` stops at plan time, before anything is created.';

export const DEV_MODE_WARNING =
  'Ory runs in NON-PRODUCTION mode: no domain is configured, so Hydra runs with --dev (http issuer) and public endpoints are plain HTTP. Set a domain for production.';

/**
 * Hydra, Kratos and Keto on the EKS cluster, each on its own CockroachDB database with its own
 * client certificate (`sslmode=verify-full`), three replicas spread across zones. Only Hydra's
 * and Kratos's public APIs can be published, through one internet-facing ALB.
 */
export class OryStack extends ProductStack {
  readonly endpoints: OryEndpoints;
  private readonly network: RemoteOutputs<typeof NETWORK_OUTPUTS.outputs>;
  private readonly cockroach: RemoteOutputs<typeof COCKROACH_OUTPUTS.outputs>;
  private readonly pki: RemoteOutputs<typeof COCKROACH_PKI_OUTPUTS.outputs>;
  private readonly eks: RemoteOutputs<typeof EKS_OUTPUTS.outputs>;

  constructor(scope: Construct, props: OryStackProps) {
    // Named as the app names it (`stackNames`), like every upstream stack it reads.
    validateOryStackProps(props, props.stackNames?.[ORY_STACK_NAME] ?? ORY_STACK_NAME);
    super(scope, ORY_STACK_NAME, props);
    // Also catches escape-hatch overrides: synthesis fails before anything is written.
    this.node.addValidation({
      validate: () => findOryExposureViolations(this.toTerraform(), this.node.id).map((f) => `${f.ruleId} ${f.address}: ${f.message}; ${f.fix}`),
    });
    configureAwsProvider(this, { region: props.region, tags: props.tags });
    // Only the single-region stack generates secrets; with shared ones it needs no random provider.
    if (!props.sharedSecrets) new RandomProvider(this, 'random');
    const upstream = oryUpstreamContracts(props.stackNames);
    this.network = this.readUpstream(upstream.network);
    this.cockroach = this.readUpstream(upstream.cockroach);
    this.pki = this.readUpstream(upstream.pki);
    this.eks = this.readUpstream(upstream.eks);
    if (props.migrationsRunBy) this.recordUpstreamRead(props.migrationsRunBy, 'ory-migrations');
    const bootstrapped = this.requireCockroachBootstrap();
    if (props.clusterApiAccess) this.requireClusterApiAccess(props.clusterApiAccess, upstream.eks.stackName);
    configureClusterProviders(this, { ...this.eks, region: props.region });

    const namespaceName = props.namespace ?? DEFAULT_ORY_NAMESPACE;
    this.endpoints = resolveOryEndpoints({
      domain: props.domain,
      namespace: namespaceName,
      hydraIssuerUrl: props.hydraIssuerUrl,
      kratosPublicUrl: props.kratosPublicUrl,
      exposeKetoRead: props.exposeKetoReadApi ?? false,
    });
    if (this.endpoints.devMode) Annotations.of(this).addWarning(DEV_MODE_WARNING);

    const controller = new AwsLoadBalancerController(this, 'aws-load-balancer-controller', {
      clusterName: this.eks.clusterName,
      region: props.region,
      vpcId: this.network.oryVpcId,
      chartVersion: props.loadBalancerControllerChartVersion,
    });
    const namespace = oryNamespace(this, namespaceName, [bootstrapped]);
    const publicAccessCidrs = props.publicAccessCidrs ?? [];
    // In place before the first pod starts: the VPC CNI lets a new pod talk until its policies apply.
    const networkPolicies = new OryNetworkPolicies(this, 'network-policies', {
      namespace: namespace.metadata.name,
      cockroachSubnetCidrs: perAzCidrs(this.network.cockroachPrivateSubnetCidrs),
      ...(publicAccessCidrs.length > 0 ? { loadBalancerSubnetCidrs: perAzCidrs(this.network.oryPublicSubnetCidrs) } : {}),
      publicPorts: publicPortsByService(this.endpoints.publicEndpoints),
      apiClients: props.apiClients ?? [],
      kratosInternetEgress: props.kratosBreachedPasswordCheck ?? true,
      hydraMaester: props.hydraMaesterEnabled ?? false,
    });
    const secrets = this.serviceSecrets(props, namespace.metadata.name);
    // The controller's webhooks intercept Service and Pod creation: it must be running first.
    const releases = this.oryReleases(props, namespace.metadata.name, secrets, [controller.release, ...networkPolicies.policies]);
    const released = Object.fromEntries(
      ORY_SERVICES.map((service, i) => {
        const release = releases[i];
        if (!release) throw new Error(`OryStack: no Helm release for ${service}`);
        return [service, { certificates: secrets[service].certificates, release }];
      }),
    );
    new PresentedCertificates(this, 'presented-certificates', {
      namePrefix: props.namePrefix,
      services: released as Record<OryServiceName, { certificates: string; release: Release }>,
      expiryAlarmDays: props.certificateExpiryAlarmDays ?? DEFAULT_CERTIFICATE_EXPIRY_ALARM_DAYS,
      topicArn: this.network.alarmTopicArn,
    });

    const hostname =
      publicAccessCidrs.length === 0
        ? ''
        : this.exposePublicly(props, publicAccessCidrs, namespace.metadata.name, [controller.release, ...releases]);
    publishOutputs(this, this.contractOf(ORY_OUTPUTS), {
      namespace: namespaceName,
      hydraIssuerUrl: this.endpoints.hydraIssuerUrl,
      hydraAdminUrl: this.endpoints.hydraAdminUrl,
      kratosPublicUrl: this.endpoints.kratosPublicUrl,
      kratosAdminUrl: this.endpoints.kratosAdminUrl,
      ketoReadUrl: this.endpoints.ketoReadUrl,
      ketoWriteUrl: this.endpoints.ketoWriteUrl,
      publicLoadBalancerHostname: hostname,
    });
  }

  /**
   * Ory's migrations need the databases, users and grants node 1's bootstrap creates, and the
   * bootstrap runs on its own after the instance boots: the plan reads the status parameter it
   * publishes and stops, with a message saying what to wait for, until it says complete.
   */
  private requireCockroachBootstrap(): DataAwsSsmParameter {
    const parameter = new DataAwsSsmParameter(this, 'cockroach-bootstrap-status', { name: this.cockroach.bootstrapStatusParameter });
    parameter.lifecycle = {
      postcondition: [{ condition: `\${${bootstrapCompleteCondition('self.insecure_value')}}`, errorMessage: bootstrapPendingMessage('${self.name}') }],
    };
    return parameter;
  }

  /**
   * The cluster connection (providers, everything in the cluster) starts at reading the eks
   * stack's state: its precondition stops the plan there when no operator network can reach the API.
   */
  private requireClusterApiAccess(access: EksApiAccess, eksStackName: string): void {
    const eksState = this.node.findChild(remoteStateId(eksStackName)) as TerraformElement;
    const precondition = operatorApiAccessPrecondition(this, access);
    eksState.addOverride('lifecycle.precondition', [{ condition: precondition.condition, error_message: precondition.errorMessage }]);
    if (!hasOperatorApiAccess(access)) warnNoOperatorApiAccess(this, ORY_NO_API_ACCESS_WARNING);
  }

  /** Each service's Secret: its own client certificate, its DSN to its own database, its Ory secrets. */
  private serviceSecrets(props: OryStackProps, namespace: string): Record<OryServiceName, OryServiceSecret> {
    const { cockroach, pki } = this;
    const databases: Record<OryServiceName, { user: string; database: string; certificateArn: string }> = {
      hydra: { user: cockroach.hydraSqlUser, database: cockroach.hydraDatabase, certificateArn: pki.hydraClientSecretArn },
      kratos: { user: cockroach.kratosSqlUser, database: cockroach.kratosDatabase, certificateArn: pki.kratosClientSecretArn },
      keto: { user: cockroach.ketoSqlUser, database: cockroach.ketoDatabase, certificateArn: pki.ketoClientSecretArn },
    };
    const shared = props.sharedSecrets ? this.sharedSecretValues(props.sharedSecrets) : undefined;
    const secretFor = (service: OryServiceName) => {
      const db = databases[service];
      return new OryServiceSecret(this, `${service}-secret`, {
        namespace,
        secretName: `${service}-secrets`,
        clientCertificateSecretArn: db.certificateArn,
        sqlUser: db.user,
        dsn: cockroachDsn({
          user: db.user,
          host: cockroach.sqlHost,
          port: cockroach.sqlPort,
          database: db.database,
          maxConns: props.sqlMaxConns ?? DEFAULT_SQL_MAX_CONNS,
          maxConnLifetimeSeconds: props.sqlMaxConnLifetimeSeconds ?? DEFAULT_SQL_MAX_CONN_LIFETIME_SECONDS,
        }),
        generatedSecrets: ORY_GENERATED_SECRETS[service],
        ...(shared ? { givenSecrets: shared[service] } : {}),
      });
    };
    return { hydra: secretFor('hydra'), kratos: secretFor('kratos'), keto: secretFor('keto') };
  }

  /**
   * The shared secrets, by service and chart Secret key: read from the replica in this stack's
   * region (Secrets Manager replicas keep the primary's name), at plan time.
   */
  private sharedSecretValues(reference: OrySharedSecretsReference): Record<OryServiceName, Record<string, string>> {
    this.recordUpstreamRead(reference.stackName, 'secrets-manager');
    const version = new DataAwsSecretsmanagerSecretVersion(this, 'ory-shared-secrets', { secretId: reference.secretName });
    const values = Fn.jsondecode(version.secretString);
    const byService = (service: OryServiceName) =>
      Object.fromEntries(Object.keys(ORY_GENERATED_SECRETS[service]).map((key) => [key, Fn.lookup(values, sharedSecretKey(service, key))]));
    return { hydra: byService('hydra'), kratos: byService('kratos'), keto: byService('keto') };
  }

  /** The hydra, kratos and keto releases, each after its Secret and `after`. */
  private oryReleases(
    props: OryStackProps,
    namespace: string,
    secrets: Record<OryServiceName, OryServiceSecret>,
    after: ITerraformDependable[],
  ): Release[] {
    const common = (service: OryServiceName) => ({
      release: service,
      secretName: secrets[service].name,
      secretChecksum: secrets[service].contentChecksum,
      workload: props[service] ?? {},
      ...(props.migrationsRunBy ? { migrations: 'wait' as OryMigrations } : {}),
    });
    const values: Record<OryServiceName, Record<string, unknown>> = {
      hydra: hydraValues({
        ...common('hydra'),
        issuerUrl: this.endpoints.hydraIssuerUrl,
        adminUrl: this.endpoints.hydraAdminUrl,
        devMode: this.endpoints.devMode,
        // The ALB and in-cluster callers (VPC CNI: pods are in the VPC), and `kubectl port-forward` (127.0.0.1).
        tlsTerminationCidrs: [this.network.oryVpcCidr, '127.0.0.1/32'],
        maesterEnabled: props.hydraMaesterEnabled ?? false,
      }),
      kratos: kratosValues({
        ...common('kratos'),
        publicUrl: this.endpoints.kratosPublicUrl,
        adminUrl: this.endpoints.kratosAdminUrl,
        breachedPasswordCheck: props.kratosBreachedPasswordCheck ?? true,
      }),
      keto: ketoValues({ ...common('keto'), namespaces: props.ketoNamespaces ?? [...DEFAULT_KETO_NAMESPACES] }),
    };
    return ORY_SERVICES.map((service) =>
      oryRelease(this, {
        service,
        namespace,
        chartRepository: props.chartRepository ?? ORY_CHART_REPOSITORY,
        chartVersion: props.chartVersion ?? ORY_CHART_VERSION,
        values: values[service],
        dependsOn: [secrets[service].secret, ...after],
      }),
    );
  }

  /** The ALB, and with a domain its certificate and DNS names. Returns the ALB's host name. */
  private exposePublicly(props: OryStackProps, allowedCidrs: readonly string[], namespace: string, dependsOn: ITerraformDependable[]): string {
    const hosts = this.endpoints.publicEndpoints.flatMap((endpoint) => (endpoint.host ? [endpoint.host] : []));
    const certificate = props.domain ? new PublicCertificate(this, 'public-certificate', { domain: props.domain, hostnames: hosts }) : undefined;
    const ingress = new PublicIngress(this, 'public-ingress', {
      namespace,
      groupName: oryIngressGroupName(props.namePrefix),
      endpoints: this.endpoints.publicEndpoints,
      allowedCidrs,
      publicSubnetIds: this.network.oryPublicSubnetIds,
      certificateArn: certificate?.certificateArn,
      dependsOn,
    });
    if (certificate && (props.publicDnsRecords ?? true)) this.publicDnsRecords(certificate, hosts, ingress.loadBalancerHostname);
    if (props.publicLoadBalancerAlarms ?? true) {
      new PublicLoadBalancerAlarms(this, 'public-load-balancer-alarms', {
        namePrefix: props.namePrefix,
        topicArn: this.network.alarmTopicArn,
        clusterName: this.eks.clusterName,
        ingressGroupName: oryIngressGroupName(props.namePrefix),
        ingresses: ingress.ingresses,
      });
    }
    return ingress.loadBalancerHostname;
  }

  /** `<host>` CNAME the ALB. A CNAME, not an alias: the ALB's zone id is not known to Terraform. */
  private publicDnsRecords(certificate: PublicCertificate, hosts: readonly string[], loadBalancerHostname: string): void {
    for (const host of hosts) {
      new Route53Record(this, `dns-${host.split('.')[0]}`, {
        zoneId: certificate.zone.zoneId,
        name: host,
        type: 'CNAME',
        ttl: 300,
        records: [loadBalancerHostname],
      });
    }
  }
}

/**
 * Ory's namespace:
 * - the `restricted` Pod Security Standard enforced, warned and audited (Kubernetes docs, "Enforce
 *   Pod Security Standards with namespace labels"): a pod of the charts, an override or anything
 *   else that asks for root, host namespaces, privilege escalation or added capabilities is refused
 *   at admission (the rendered 0.62.1 pods and jobs meet it: packages/ory tests);
 * - `elbv2.k8s.aws/pod-readiness-gate-inject: enabled`: the AWS Load Balancer Controller injects a
 *   readiness gate into every pod of the namespace, so a new pod counts as ready only once the ALB
 *   has registered it healthy, and a rolling update never takes an old pod away before
 *   (AWS Load Balancer Controller docs, "Pod readiness gate": IP targets, label the namespace).
 */
export const ORY_NAMESPACE_LABELS = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
  'app.kubernetes.io/part-of': 'ory',
} as const;

function oryNamespace(scope: Construct, name: string, dependsOn: ITerraformDependable[]): NamespaceV1 {
  return new NamespaceV1(scope, 'ory-namespace', { dependsOn, metadata: { name, labels: { ...ORY_NAMESPACE_LABELS } } });
}

/** One CIDR per AZ of a per-AZ list output (three AZs). */
function perAzCidrs(list: string[]): string[] {
  return [0, 1, 2].map((i) => Fn.element(list, i));
}

function publicPortsByService(endpoints: readonly PublicEndpoint[]): Partial<Record<OryServiceName, number[]>> {
  const ports: Partial<Record<OryServiceName, number[]>> = {};
  for (const endpoint of endpoints) {
    const service = ORY_SERVICES.find((candidate) => endpoint.serviceName.startsWith(`${candidate}-`));
    if (service) ports[service] = [...(ports[service] ?? []), endpoint.port];
  }
  return ports;
}/** Kubernetes namespace of the releases and their Secrets. */
export const DEFAULT_ORY_NAMESPACE = 'ory';
/** Keto's relation-tuple namespaces: `documents`, the one the verifier's reference check uses (design section 5). */
export const DEFAULT_KETO_NAMESPACES: readonly string[] = ['documents'];


