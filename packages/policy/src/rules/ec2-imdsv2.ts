import type { PolicyRule } from '../rule';
import { firstBlock, show } from '../values';

/** CRDB-EC2-001: instances and launch templates require IMDSv2 session tokens. */
export const EC2_IMDSV2: PolicyRule = {
  id: 'CRDB-EC2-001',
  description: 'EC2 instances and launch templates require IMDSv2 (metadata_options.http_tokens = "required").',
  severity: 'error',
  check(stack) {
    return stack
      .resources('aws_instance', 'aws_launch_template')
      .filter((entry) => {
        const options = firstBlock(entry.config['metadata_options']);
        return options?.['http_tokens'] !== 'required' && options?.['http_endpoint'] !== 'disabled';
      })
      .map((entry) =>
        stack.violation(
          entry,
          `metadata_options.http_tokens is ${show(firstBlock(entry.config['metadata_options'])?.['http_tokens'])}, so IMDSv1 stays available`,
          'set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" }',
        ),
      );
  },
};
