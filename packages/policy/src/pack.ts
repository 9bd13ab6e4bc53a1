import type { RulePack } from './rule';
import { COCKROACH_ALARMS } from './rules/cockroach-alarms';
import { COCKROACH_BACKUP_SCHEDULE } from './rules/cockroach-backup-schedule';
import { COCKROACH_PORTS_INTERNAL } from './rules/cockroach-ports-internal';
import { EBS_ENCRYPTED } from './rules/ebs-encrypted';
import { EC2_IMDSV2 } from './rules/ec2-imdsv2';
import { EKS_CONTROL_PLANE_LOGGING } from './rules/eks-control-plane-logging';
import { EKS_PUBLIC_ENDPOINT_RESTRICTED } from './rules/eks-public-endpoint-restricted';
import { EKS_SECRETS_ENCRYPTED } from './rules/eks-secrets-encrypted';
import { NO_LITERAL_PASSWORD } from './rules/no-literal-password';
import { NO_ORY_SECRET_LITERAL } from './rules/no-ory-secret-literal';
import { NO_PRIVATE_KEY } from './rules/no-private-key';
import { INSTANCE_ROLE_SSM_LEAST_PRIVILEGE } from './rules/instance-role-ssm-least-privilege';
import { NO_REMOTE_STATE_OF_KEY_HOLDER } from './rules/no-remote-state-of-key-holder';
import { ORY_ADMIN_NOT_PUBLIC } from './rules/ory-admin-not-public';
import { ORY_NAMESPACE_DENY_BY_DEFAULT } from './rules/ory-namespace-deny-by-default';
import { ORY_NAMESPACE_RESTRICTED } from './rules/ory-namespace-restricted';
import { S3_ENCRYPTED } from './rules/s3-encrypted';
import { S3_PUBLIC_ACCESS_BLOCKED } from './rules/s3-public-access-blocked';
import { S3_VERSIONED } from './rules/s3-versioned';
import { SG_NO_WORLD_INGRESS } from './rules/sg-no-world-ingress';

/** The product's security rules. Adding a rule: one file under `rules/`, one line here, one test. */
export const CRDB_ORY_PACK: RulePack = {
  name: 'crdb-ory',
  rules: [
    SG_NO_WORLD_INGRESS,
    COCKROACH_PORTS_INTERNAL,
    EC2_IMDSV2,
    EBS_ENCRYPTED,
    S3_PUBLIC_ACCESS_BLOCKED,
    S3_ENCRYPTED,
    S3_VERSIONED,
    EKS_SECRETS_ENCRYPTED,
    EKS_CONTROL_PLANE_LOGGING,
    EKS_PUBLIC_ENDPOINT_RESTRICTED,
    NO_PRIVATE_KEY,
    NO_LITERAL_PASSWORD,
    NO_ORY_SECRET_LITERAL,
    ORY_ADMIN_NOT_PUBLIC,
    ORY_NAMESPACE_DENY_BY_DEFAULT,
    ORY_NAMESPACE_RESTRICTED,
    NO_REMOTE_STATE_OF_KEY_HOLDER,
    INSTANCE_ROLE_SSM_LEAST_PRIVILEGE,
    COCKROACH_BACKUP_SCHEDULE,
    COCKROACH_ALARMS,
  ],
};
