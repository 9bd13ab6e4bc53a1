import type { PolicyRule, Violation } from '../rule';
import type { ResourceEntry, StackDocument } from '../stack-document';
import { blocks, firstBlock, isTrue, show } from '../values';

const FIX = 'set encrypted = true (optionally with a customer managed kms_key_id)';

/** CRDB-EBS-001: every EBS volume, root volume and launch template volume is encrypted. */
export const EBS_ENCRYPTED: PolicyRule = {
  id: 'CRDB-EBS-001',
  description: 'Every EBS volume, instance root and data volume, and launch template volume is encrypted.',
  severity: 'error',
  check(stack) {
    return [...volumes(stack), ...instances(stack), ...launchTemplates(stack)];
  },
};

function volumes(stack: StackDocument): Violation[] {
  return stack
    .resources('aws_ebs_volume')
    .filter((entry) => !isTrue(entry.config['encrypted']))
    .map((entry) => stack.violation(entry, `encrypted is ${show(entry.config['encrypted'])}`, FIX));
}

function instances(stack: StackDocument): Violation[] {
  return stack.resources('aws_instance').flatMap((entry) => {
    const root = firstBlock(entry.config['root_block_device']);
    const found: Violation[] = [];
    if (!isTrue(root?.['encrypted'])) {
      found.push(stack.violation(entry, `root_block_device.encrypted is ${show(root?.['encrypted'])}`, `${FIX} in rootBlockDevice`));
    }
    return [...found, ...unencrypted(stack, entry, blocks(entry.config['ebs_block_device']), (block) => block, 'ebs_block_device')];
  });
}

function launchTemplates(stack: StackDocument): Violation[] {
  return stack
    .resources('aws_launch_template')
    .flatMap((entry) => unencrypted(stack, entry, blocks(entry.config['block_device_mappings']), (mapping) => firstBlock(mapping['ebs']), 'block_device_mappings.ebs'));
}

function unencrypted(
  stack: StackDocument,
  entry: ResourceEntry,
  devices: Record<string, unknown>[],
  ebsOf: (device: Record<string, unknown>) => Record<string, unknown> | undefined,
  what: string,
): Violation[] {
  return devices
    .filter((device) => ebsOf(device) !== undefined && !isTrue(ebsOf(device)?.['encrypted']))
    .map((device) => stack.violation(entry, `${what} ${show(device['device_name'])} has encrypted = ${show(ebsOf(device)?.['encrypted'])}`, FIX));
}
