import { resourceRule, type Problem } from '../declare-rule';
import { blocks, firstBlock, isTrue, show } from '../values';

const FIX = 'set encrypted = true (optionally with a customer managed kms_key_id)';

/** CRDB-EBS-001: every EBS volume, root volume and launch template volume is encrypted. */
export const EBS_ENCRYPTED = resourceRule({
  id: 'CRDB-EBS-001',
  description: 'Every EBS volume, instance root and data volume, and launch template volume is encrypted.',
  fix: FIX,
  test: {
    aws_ebs_volume: (volume) => (isTrue(volume.config['encrypted']) ? undefined : `encrypted is ${show(volume.config['encrypted'])}`),
    aws_instance: (instance) => {
      const root = firstBlock(instance.config['root_block_device']);
      const rootProblem: Problem[] = isTrue(root?.['encrypted']) ? [] : [{ message: `root_block_device.encrypted is ${show(root?.['encrypted'])}`, fix: `${FIX} in rootBlockDevice` }];
      return [...rootProblem, ...unencrypted(blocks(instance.config['ebs_block_device']), (block) => block, 'ebs_block_device')];
    },
    aws_launch_template: (template) => unencrypted(blocks(template.config['block_device_mappings']), (mapping) => firstBlock(mapping['ebs']), 'block_device_mappings.ebs'),
  },
});

/** A message for each device whose EBS settings (`ebsOf`) are not encrypted. */
function unencrypted(devices: Record<string, unknown>[], ebsOf: (device: Record<string, unknown>) => Record<string, unknown> | undefined, what: string): string[] {
  return devices
    .filter((device) => ebsOf(device) !== undefined && !isTrue(ebsOf(device)?.['encrypted']))
    .map((device) => `${what} ${show(device['device_name'])} has encrypted = ${show(ebsOf(device)?.['encrypted'])}`);
}
