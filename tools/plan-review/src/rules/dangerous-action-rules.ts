import type { DangerousActionRule } from '../dangerous-action-rule';
import { BUCKET_REPLACED } from './bucket-replaced';
import { CRDB_NODE_REPLACED } from './crdb-node-replaced';
import { CRDB_NODE_STOP_START } from './crdb-node-stop-start';
import { CRDB_NODES_TOUCHED } from './crdb-nodes-touched';
import { CRDB_VOLUME_REPLACED } from './crdb-volume-replaced';
import { EKS_CLUSTER_REPLACED } from './eks-cluster-replaced';
import { KMS_KEY_REPLACED } from './kms-key-replaced';
import { PKI_REPLACED } from './pki-replaced';

/** The rule pack `reviewPlan` applies by default. */
export const DANGEROUS_ACTION_RULES: readonly DangerousActionRule[] = [
  CRDB_NODE_REPLACED,
  CRDB_VOLUME_REPLACED,
  CRDB_NODE_STOP_START,
  PKI_REPLACED,
  BUCKET_REPLACED,
  KMS_KEY_REPLACED,
  EKS_CLUSTER_REPLACED,
  CRDB_NODES_TOUCHED,
];
