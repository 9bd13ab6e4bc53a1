import { AWS_PROBES } from './aws';
import { COCKROACH_PROBES } from './cockroach';
import { LOGGING_STUB_PROBES } from './logging-stub';
import type { Probe } from './support';
import { TERRAFORM_PROBES } from './terraform';

/** Each stub's probes, keyed by the id of the row they exercise. */
export const STUB_PROBES: Record<string, Record<string, Probe>> = {
  aws: AWS_PROBES,
  cockroach: COCKROACH_PROBES,
  'logging-stub': LOGGING_STUB_PROBES,
  terraform: TERRAFORM_PROBES,
};
