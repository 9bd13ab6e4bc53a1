import { z } from 'zod';

/** Settings of the `ory` stack. */
export const oryConfig = z.strictObject({
  /** Version of Ory's Helm charts (Hydra, Kratos, Keto) from https://k8s.ory.com/helm/charts. */
  chartVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a chart version like 0.62.1'),
});

export type OryConfig = z.infer<typeof oryConfig>;

export const ORY_DEFAULTS: OryConfig = {
  chartVersion: '0.62.1',
};
