import { removalRule } from './removal-rule';

/** The node data volumes (`aws_ebs_volume.node-2_data_F1281083`) and their attachments (`aws_volume_attachment.node-1_data-attachment_A2239E41`). */
export const CRDB_VOLUME_REPLACED = removalRule({
  id: 'crdb-volume-replaced',
  title: 'CockroachDB data volume replaced or destroyed',
  description:
    "A replaced or destroyed volume loses the node's store (its replicas); a replaced attachment detaches the store from a running node. Make sure the other nodes hold every range and a recent backup exists.",
  resourceTypes: ['aws_ebs_volume', 'aws_volume_attachment'],
});
