import { z } from 'zod';
import { cockroachConfig } from './cockroach-config';
import { eksConfig } from './eks-config';
import { monitoringConfig } from './monitoring-config';
import { networkConfig } from './network-config';
import { oryConfig } from './ory-config';
import { awsRegion, cidrBlock, dnsName } from './primitives';
import { stateBackendConfig } from './state-backend-config';

/** The whole deployment's configuration: the only input of the app. */
export const deploymentConfig = z.strictObject({
  /** AWS region of every stack. */
  region: awsRegion,
  /** Exactly three availability zones of `region`, one per node and subnet. */
  availabilityZones: z.array(z.string()),
  /** Prefix of resource names (VPCs, buckets, roles...); what it may be is the cockroach library's rule (rules.ts: namePrefixFitsCockroachNames). */
  namePrefix: z.string(),
  /** Tags on every taggable resource (provider default tags); what AWS accepts is checked in tag-rules. */
  tags: z.record(z.string(), z.string()),
  /** Where the stacks keep their Terraform state. */
  stateBackend: stateBackendConfig,
  /** End users' CIDR blocks allowed to Ory's public load balancer (Hydra and Kratos public APIs). Empty: no load balancer. Operators reach the EKS API through eks.endpoint*AccessCidrs. */
  publicAccessCidrs: z.array(cidrBlock),
  /** Public DNS domain for Ory's endpoints (a Route 53 public zone must exist). Without one, Ory runs in a documented non-production mode. */
  domain: dnsName.optional(),
  network: networkConfig,
  cockroach: cockroachConfig,
  eks: eksConfig,
  ory: oryConfig,
  /** Alarms (every stack) and who hears them. */
  monitoring: monitoringConfig,
});

/** What users write: every setting optional, nested objects merged over the defaults. */
export type DeploymentConfigInput = z.input<typeof deploymentConfig>;
/** The validated configuration every stack is built from. */
export type DeploymentConfig = z.output<typeof deploymentConfig>;
