import { attributeChanges } from '../attribute-changes';
import type { DangerousActionRule } from '../dangerous-action-rule';

/**
 * The aws_instance attributes the AWS provider updates in place only by stopping and starting the
 * instance. From hashicorp/terraform-provider-aws `internal/service/ec2/ec2_instance.go`,
 * `resourceInstanceUpdate` (the SDK v2 era of 5.x, which 5.100.0 belongs to):
 * - `instance_type`, `user_data`, `user_data_base64`: each is set through
 *   `modifyInstanceAttributeWithStopStart` (stopInstance, ModifyInstanceAttribute, startInstance).
 *   With `user_data_replace_on_change` the user data change is a replacement instead, which
 *   `crdb-node-replaced` reports.
 * - `capacity_reservation_specification`: "To modify capacity reservation attributes of an
 *   instance, instance state needs to be in ec2.InstanceStateNameStopped": stopInstance,
 *   ModifyInstanceCapacityReservationAttributes, startInstance.
 * Not here: `ebs_optimized`, `hibernation`, `enclave_options.enabled`, `cpu_core_count` and
 * `cpu_threads_per_core` are ForceNew in the schema (a replacement, never an update), and the
 * other in-place updates (tags, metadata_options, monitoring, root volume size and type,
 * security groups, instance profile, credit specification, ...) leave the instance running.
 */
export const STOP_START_ATTRIBUTES = ['instance_type', 'user_data', 'user_data_base64', 'capacity_reservation_specification'] as const;

export const CRDB_NODE_STOP_START: DangerousActionRule = {
  id: 'crdb-node-stop-start',
  title: 'In-place update stops and starts a CockroachDB node',
  description:
    'The AWS provider stops the instance to apply this update and starts it again: the node goes down without being drained. Roll nodes one at a time with `npm run roll` instead of applying it to several at once.',
  check: (stack, changes) =>
    changes.flatMap((change) => {
      if (change.type !== 'aws_instance' || change.kind !== 'update') return [];
      const changed = STOP_START_ATTRIBUTES.filter((attribute) => attributeChanges(change, attribute));
      if (changed.length === 0) return [];
      return [{ ruleId: 'crdb-node-stop-start', stack, addresses: [change.address], summary: `${change.address} will be stopped and started to update ${changed.join(', ')}` }];
    }),
};
