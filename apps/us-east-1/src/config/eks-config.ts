import { z } from 'zod';
import { instanceType, resourceName } from './primitives';

/** Settings of the `eks` stack. */
export const eksConfig = z.strictObject({
  /** EKS cluster name. */
  clusterName: resourceName,
  /** Kubernetes minor version, in EKS standard support. */
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version like 1.33'),
  /** Worker node instance type. */
  nodeInstanceType: instanceType,
  /** Worker nodes the group starts with (one per AZ). */
  nodeDesiredSize: z.number().int().min(1),
  nodeMinSize: z.number().int().min(1),
  nodeMaxSize: z.number().int().min(1),
});

export type EksConfig = z.infer<typeof eksConfig>;

export const EKS_DEFAULTS: EksConfig = {
  clusterName: 'ory',
  kubernetesVersion: '1.35',
  nodeInstanceType: 'm5.xlarge',
  nodeDesiredSize: 3,
  nodeMinSize: 1,
  nodeMaxSize: 4,
};
