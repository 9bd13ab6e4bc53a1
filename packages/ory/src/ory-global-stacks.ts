import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ProductStack, ProductStackProps, configureAwsProvider } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { oryIngressGroupName, oryPublicNoHealthyTargetsAlarmName, publicLoadBalancerTags } from './public-load-balancer-alarms';
import { OryPublicFailover, OryPublicRegion, OryPublicRouting } from './public-failover';
import { OrySharedSecrets, OrySharedSecretsReference } from './shared-secrets';

/** Stack name of the shared secrets' stack: also its state key. API: never rename. */
export const ORY_SHARED_SECRETS_STACK_NAME = 'ory-shared-secrets';
/** Stack name of the stack of the public records across regions: also its state key. API: never rename. */
export const ORY_PUBLIC_DNS_STACK_NAME = 'ory-public-dns';

/** What both global stacks take: they live in the primary region. */
export interface OryGlobalStackProps extends ProductStackProps {
  /** The primary region: the stack's provider. */
  readonly region: string;
  /** Tags on every taggable AWS resource. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A global stack of the Ory package: its name, and its AWS provider in the primary region. */
abstract class OryGlobalStack extends ProductStack {
  constructor(scope: Construct, defaultName: string, props: OryGlobalStackProps) {
    // Named ORY_SHARED_SECRETS_STACK_NAME or ORY_PUBLIC_DNS_STACK_NAME, unless the app's `stackNames` renames it.
    super(scope, defaultName, props);
    configureAwsProvider(this, { region: props.region, tags: props.tags ?? {} });
  }
}

export interface OrySharedSecretsStackProps extends OryGlobalStackProps {
  /** Every other region an Ory stack runs in (a replica each). */
  readonly replicaRegions: readonly string[];
  /** `OrySharedSecretsProps.version`. @default 1 */
  readonly version?: number;
}

/**
 * A multi-region app's global stack of Ory's shared secrets (`OrySharedSecrets`), in the primary
 * region, deployed before the regions' Ory stacks. Its state holds no secret (the values are
 * written write-only), and it publishes nothing: the regions find the secret by its name
 * ({@link reference}), which they record as an upstream read.
 */
export class OrySharedSecretsStack extends OryGlobalStack {
  readonly secrets: OrySharedSecrets;

  constructor(scope: Construct, props: OrySharedSecretsStackProps) {
    super(scope, ORY_SHARED_SECRETS_STACK_NAME, props);
    this.secrets = new OrySharedSecrets(this, 'ory-shared-secrets', {
      namePrefix: this.namePrefix,
      primaryRegion: props.region,
      replicaRegions: props.replicaRegions,
      ...(props.version !== undefined ? { version: props.version } : {}),
    });
  }

  /** What each region's `OryStack` takes as `sharedSecrets`. */
  get reference(): OrySharedSecretsReference {
    return this.secrets.reference();
  }
}

/** One region of `OryPublicDnsStack`: its Ory stack, and what finds that stack's ALB and alarm. */
export interface OryPublicDnsRegion extends Omit<OryPublicRegion, 'loadBalancerHostname'> {
  /** The region's Ory stack (deployed first: it makes the ALB). */
  readonly oryStackName: string;
  /** The region's EKS cluster (with the Ingress group, the tags that find the ALB). */
  readonly eksClusterName: string;
  /**
   * `namePrefix` of the region's Ory stack: its Ingress group (`oryIngressGroupName`) and its "no
   * healthy targets" alarm (the default `healthAlarmName`) carry it. A multi-region app gives each
   * region its own prefix (IAM names are account-wide).
   * @default this stack's namePrefix
   */
  readonly namePrefix?: string;
}

export interface OryPublicDnsStackProps extends OryGlobalStackProps {
  /** The domain every region's Ory stack has. */
  readonly domain: string;
  /**
   * The regions, primary first: each with its Ory stack (deployed first: it makes the ALB) and
   * its EKS cluster's name (with the Ingress group, the tags that find the ALB).
   */
  readonly regions: ReadonlyArray<OryPublicDnsRegion>;
  /** @default 'failover' (see `OryPublicRouting` for the latency trade-off) */
  readonly routing?: OryPublicRouting;
  /** `OryPublicFailoverProps.exposeKetoReadApi`. @default false */
  readonly exposeKetoReadApi?: boolean;
  /** `OryPublicFailoverProps.ttl`. @default 60 */
  readonly ttl?: number;
}

/**
 * A multi-region app's global stack of Ory's public records (`OryPublicFailover`), in the primary
 * region, deployed after the regions' Ory stacks. It reads no Ory stack's state (which holds the
 * Ory secrets in its Kubernetes Secrets): each region's ALB is read in its region (a provider
 * alias per region) by the tags the AWS Load Balancer Controller writes, as the region's own
 * alarms find it (`PublicLoadBalancerAlarms`).
 */
export class OryPublicDnsStack extends OryGlobalStack {
  readonly failover: OryPublicFailover;

  constructor(scope: Construct, props: OryPublicDnsStackProps) {
    super(scope, ORY_PUBLIC_DNS_STACK_NAME, props);
    const regions = props.regions.map(({ oryStackName, eksClusterName, namePrefix, ...region }) => {
      this.recordUpstreamRead(oryStackName, 'aws-load-balancer');
      const regionPrefix = namePrefix ?? this.namePrefix;
      const provider = new AwsProvider(this, `aws-${region.region}`, { region: region.region, alias: region.region, defaultTags: [{ tags: { ...props.tags } }] });
      const alb = new DataAwsLb(this, `alb-${region.region}`, { provider, tags: publicLoadBalancerTags(eksClusterName, oryIngressGroupName(regionPrefix)) });
      return { ...region, healthAlarmName: region.healthAlarmName ?? oryPublicNoHealthyTargetsAlarmName(regionPrefix), loadBalancerHostname: alb.dnsName };
    });
    this.failover = new OryPublicFailover(this, 'ory-public', {
      domain: props.domain,
      namePrefix: this.namePrefix,
      regions,
      ...(props.routing ? { routing: props.routing } : {}),
      ...(props.exposeKetoReadApi !== undefined ? { exposeKetoReadApi: props.exposeKetoReadApi } : {}),
      ...(props.ttl !== undefined ? { ttl: props.ttl } : {}),
    });
  }
}
