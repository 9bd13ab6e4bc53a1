import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import { Construct } from 'constructs';
import { SQL_PORT } from '../cockroach-names';
import { NodeBootSettings, escapeTerraformTemplate, renderUserData } from '../scripts/user-data';
import { NodeRole } from './node-role';

/** gp3 data volume sizing. */
export interface DataVolumeSettings {
  readonly sizeGiB: number;
  readonly iops: number;
  readonly throughputMiBps: number;
}

export interface CockroachNodeProps {
  readonly name: string;
  readonly amiId: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly privateIp: string;
  readonly securityGroupId: string;
  readonly role: NodeRole;
  readonly dataVolume: DataVolumeSettings;
  readonly targetGroupArn: string;
  readonly privateZoneId: string;
  readonly dnsName: string;
  /** Boot settings except what this construct creates (the data volume id). */
  readonly boot: Omit<NodeBootSettings, 'dataVolumeId'>;
}

/** The device the data volume is attached as; on Nitro it appears as NVMe, found by volume id. */
export const DATA_VOLUME_DEVICE = '/dev/sdf';

/**
 * One CockroachDB node: an EC2 instance with a fixed private IP, IMDSv2 only, no SSH key, and
 * a separate encrypted gp3 data volume that outlives the instance. A new AMI release does not
 * replace it (`ignore_changes = [ami]`).
 */
export class CockroachNode extends Construct {
  readonly instance: Instance;
  readonly dataVolume: EbsVolume;

  constructor(scope: Construct, id: string, props: CockroachNodeProps) {
    super(scope, id);
    this.dataVolume = new EbsVolume(this, 'data', {
      availabilityZone: props.availabilityZone,
      type: 'gp3',
      size: props.dataVolume.sizeGiB,
      iops: props.dataVolume.iops,
      throughput: props.dataVolume.throughputMiBps,
      encrypted: true,
      finalSnapshot: true,
      tags: { Name: `${props.name}-data` },
    });
    const userData = renderUserData({ ...props.boot, dataVolumeId: this.dataVolume.id }, escapeTerraformTemplate);
    this.instance = new Instance(this, 'instance', {
      ami: props.amiId,
      instanceType: props.instanceType,
      subnetId: props.subnetId,
      privateIp: props.privateIp,
      vpcSecurityGroupIds: [props.securityGroupId],
      iamInstanceProfile: props.role.instanceProfile.name,
      ebsOptimized: true,
      monitoring: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      rootBlockDevice: { volumeType: 'gp3', volumeSize: 20, encrypted: true },
      userData,
      tags: { Name: props.name },
      lifecycle: { ignoreChanges: ['ami'] },
    });
    new VolumeAttachment(this, 'data-attachment', {
      deviceName: DATA_VOLUME_DEVICE,
      volumeId: this.dataVolume.id,
      instanceId: this.instance.id,
      stopInstanceBeforeDetaching: true,
    });
    new LbTargetGroupAttachment(this, 'target', { targetGroupArn: props.targetGroupArn, targetId: this.instance.id, port: SQL_PORT });
    new Route53Record(this, 'dns', { zoneId: props.privateZoneId, name: props.dnsName, type: 'A', ttl: 300, records: [props.privateIp] });
  }
}
