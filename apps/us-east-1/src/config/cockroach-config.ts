import { z } from 'zod';
import { instanceType } from './primitives';

/** Settings of the `cockroach-pki` and `cockroach` stacks. */
export const cockroachConfig = z.strictObject({
  /** Pinned CockroachDB release installed on every node. */
  version: z.string().regex(/^v\d+\.\d+\.\d+$/, 'must be a CockroachDB release like v25.4.2'),
  /** EC2 instance type of the nodes: production wants >= 4 vCPU, 4 GiB per vCPU, no burstable types. */
  instanceType,
});

export type CockroachConfig = z.infer<typeof cockroachConfig>;

export const COCKROACH_DEFAULTS: CockroachConfig = {
  version: 'v25.4.1',
  instanceType: 'm6i.2xlarge',
};
