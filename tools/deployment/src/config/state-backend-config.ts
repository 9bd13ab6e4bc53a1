import { z } from 'zod';
import { awsRegion } from './primitives';

/** Where stacks keep their state: `local` files (default, needs nothing) or the S3 bucket of the `state` stack. */
export const stateBackendConfig = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('local') }),
  z.strictObject({
    type: z.literal('s3'),
    /** The bucket the `state` stack created. */
    bucket: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required for an s3 state backend: the name of the bucket the state stack created (its bucket_name output)' : undefined) })
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 of a-z, 0-9, ".", "-")'),
    /** The bucket's region. @default the deployment region */
    region: awsRegion.optional(),
    /** Prefix of every stack's state key. */
    keyPrefix: z
      .string()
      .regex(/^[a-zA-Z0-9!_.*'()/-]+$/, 'must be an S3 key prefix')
      // Terraform's S3 backend refuses a key that starts or ends with "/" at init (hashicorp/terraform,
      // internal/backend/remote-state/s3/validate.go, validateStringS3Path on `key`), and each key is <keyPrefix>/<stack>.tfstate.
      .refine((prefix) => !prefix.startsWith('/') && !prefix.endsWith('/'), 'must not start or end with "/": Terraform\'s S3 backend refuses a state key that starts or ends with "/" at init (each stack\'s key is <keyPrefix>/<stack>.tfstate); write it like crdb-ory or teams/identity')
      .default('crdb-ory'),
  }),
]);

export type StateBackendSettings = z.infer<typeof stateBackendConfig>;
