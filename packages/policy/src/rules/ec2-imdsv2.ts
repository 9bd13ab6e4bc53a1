import { attribute, resourceRule, type ResourceTest } from '../declare-rule';
import { show } from '../values';

const requiresTokens: ResourceTest = (entry) => {
  const tokens = attribute(entry.config, 'metadata_options', 'http_tokens');
  if (tokens === 'required' || attribute(entry.config, 'metadata_options', 'http_endpoint') === 'disabled') return undefined;
  return `metadata_options.http_tokens is ${show(tokens)}, so IMDSv1 stays available`;
};

/** CRDB-EC2-001: instances and launch templates require IMDSv2 session tokens. */
export const EC2_IMDSV2 = resourceRule({
  id: 'CRDB-EC2-001',
  description: 'EC2 instances and launch templates require IMDSv2 (metadata_options.http_tokens = "required").',
  fix: 'set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" }',
  test: { aws_instance: requiresTokens, aws_launch_template: requiresTokens },
});
