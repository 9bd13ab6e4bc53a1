import { defineOutputsContract } from '@crdb-ory/core/contract';

/** Stack name of the cluster stack: also its state key. API: never rename. */
export const COCKROACH_STACK_NAME = 'cockroach';

/** The cluster stack's outputs: how Ory and the verifier reach CockroachDB. */
export const COCKROACH_OUTPUTS = defineOutputsContract(COCKROACH_STACK_NAME, {
  sqlHost: { type: 'string', description: 'DNS name clients connect to (the internal NLB, in the private zone; carried by every node certificate).', example: 'sql.crdb-ory.internal' },
  sqlPort: { type: 'number', description: 'SQL port of the load balancer and nodes.', example: 26257 },
  nodePrivateIps: { type: 'list', description: 'Fixed private IP of each node, in AZ order.', example: ['10.10.10.10', '10.10.11.10', '10.10.12.10'] },
  caCertificateSecretArn: { type: 'string', description: 'Secret holding the CA certificate (any client secret also holds it as ca.crt).', example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-verifier-AbCdEf' },
  hydraDatabase: { type: 'string', description: "Hydra's database.", example: 'hydra' },
  hydraSqlUser: { type: 'string', description: "Hydra's SQL user (owns its tables; runs its migrations).", example: 'hydra' },
  hydraClientSecretArn: { type: 'string', description: "Client certificate secret of Hydra's SQL user.", example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-hydra-AbCdEf' },
  kratosDatabase: { type: 'string', description: "Kratos's database.", example: 'kratos' },
  kratosSqlUser: { type: 'string', description: "Kratos's SQL user.", example: 'kratos' },
  kratosClientSecretArn: { type: 'string', description: "Client certificate secret of Kratos's SQL user.", example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-kratos-AbCdEf' },
  ketoDatabase: { type: 'string', description: "Keto's database.", example: 'keto' },
  ketoSqlUser: { type: 'string', description: "Keto's SQL user.", example: 'keto' },
  ketoClientSecretArn: { type: 'string', description: "Client certificate secret of Keto's SQL user.", example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-keto-AbCdEf' },
  verifierSqlUser: { type: 'string', description: 'Read-only SQL user of the verification tool.', example: 'verifier' },
  verifierClientSecretArn: { type: 'string', description: 'Client certificate secret of the verifier SQL user.', example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-verifier-AbCdEf' },
  nodeSecurityGroupId: { type: 'string', description: 'Security group of the CockroachDB nodes.', example: 'sg-0c0000000000000a1' },
  loadBalancerSecurityGroupId: { type: 'string', description: 'Security group of the SQL load balancer.', example: 'sg-0c0000000000000a2' },
  nodeInstanceIds: { type: 'list', description: 'EC2 instance id of each node, in node (AZ) order: the target of a Session Manager session or port forwarding.', example: ['i-0c00000000000a001', 'i-0c00000000000a002', 'i-0c00000000000a003'] },
  backupBucketName: {
    type: 'string',
    description: "S3 bucket the backup schedule writes to (the cockroach-backup stack's), each cluster in clusters/<cluster id>/. Empty when backups are off.",
    example: 'crdb-ory-backups-123456789012-us-east-1',
  },
  backupScheduleLabel: {
    type: 'string',
    description: 'Label of the CockroachDB backup schedule the bootstrap creates (SHOW SCHEDULES FOR BACKUP: a full and an incremental schedule). Empty when backups are off.',
    example: 'crdb_ory_backup',
  },
  rootClientSecretArn: {
    type: 'string',
    description: "Client certificate secret of the root SQL user, which every node keeps for admin commands (the roll and restore commands fetch it on nodes that booted before it was there).",
    example: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crdb-ory/cockroach/client-root-AbCdEf',
  },
  bootstrapStatusParameter: {
    type: 'string',
    description: "SSM parameter (String) node 1's bootstrap overwrites once the cluster is initialized and the databases, users and grants exist: its value starts with \"complete\" from then on (\"pending: ...\" before). The ory stack's plan stops until it does.",
    example: '/crdb-ory/cockroach/bootstrap-status',
  },
  nodesPendingReplacement: {
    type: 'list',
    description: 'Nodes (node-1, node-2, node-3) whose instance still runs older settings than the configuration (version, checksum, --cache, --max-sql-memory, instance type, user data); each takes effect when that node alone is replaced. Empty when every node is current.',
    example: [],
  },
  operationsRoleArn: { type: 'string', description: 'The operations role: the only principal the node guardrail lets run commands and sessions on the nodes; npm run roll and npm run restore run as it.', example: 'arn:aws:iam::123456789012:role/crdb-ory-cockroach-operator' },
  operationsLogGroupName: { type: 'string', description: 'The encrypted, retained log of every session on the nodes and of the output of every command the operations commands send.', example: '/crdb-ory/cockroach/operations' },
  sessionDocumentName: { type: 'string', description: 'Session Manager document of a logged shell on a node: aws ssm start-session --document-name <this> --target <instance id>.', example: 'crdb-ory-cockroach-session' },
  portForwardingDocumentName: { type: 'string', description: 'Session Manager document that forwards a local port to a node\'s SQL port (26257) or DB Console (8080) only.', example: 'crdb-ory-cockroach-port-forwarding' },
  loadBalancerArn: { type: 'string', description: 'ARN of the internal SQL Network Load Balancer.', example: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/crdb-ory-sql/0a1b2c3d4e5f6000' },
});
