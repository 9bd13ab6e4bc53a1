import { ProductStack, configureAwsProvider, publishOutputs } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { StateBucket, StateBucketProps } from './state-bucket';
import { STATE_OUTPUTS, STATE_STACK_NAME } from './state-outputs';

export interface StateStackProps extends StateBucketProps {
  /** Region of the state bucket. */
  readonly region: string;
  /** Tags on every taggable resource (provider default tags). @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The `state` bootstrap stack: creates the state bucket. Its own state is always a local file
 * (`terraform.state.tfstate` at the project root): the bucket cannot hold the state of the
 * stack that creates it. Keep that file safe, or re-import the bucket if it is lost.
 */
export class StateStack extends ProductStack {
  readonly stateBucket: StateBucket;

  constructor(scope: Construct, props: StateStackProps) {
    super(scope, STATE_STACK_NAME, { stateBackend: { type: 'local' } });
    const { region, tags, ...bucketProps } = props;
    configureAwsProvider(this, { region, tags: tags ?? {} });
    this.stateBucket = new StateBucket(this, 'state-bucket', bucketProps);
    publishOutputs(this, STATE_OUTPUTS, {
      bucketName: this.stateBucket.bucket.bucket,
      bucketArn: this.stateBucket.bucket.arn,
      bucketRegion: this.stateBucket.bucket.region,
    });
  }
}
