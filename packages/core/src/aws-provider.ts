import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';

export interface AwsProviderSettings {
  /** AWS region every resource of the stack is created in. */
  readonly region: string;
  /** Tags applied to every taggable resource through the provider's `default_tags`. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The stack's AWS provider: one region, the product's default tags. */
export function configureAwsProvider(scope: Construct, settings: AwsProviderSettings): AwsProvider {
  return new AwsProvider(scope, 'aws', {
    region: settings.region,
    defaultTags: [{ tags: { ...settings.tags } }],
  });
}
