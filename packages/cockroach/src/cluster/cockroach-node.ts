import { Ec2SubnetCidrReservation } from '@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { VolumeAttachment } from '@cdktf/provider-aws/lib/volume-attachment';
import { DataResource, Fn, ITerraformDependable, TerraformLocal } from 'cdktf';
import { Construct } from 'constructs';
import { SQL_PORT } from '../cockroach-names';
import { NodeBootSettings, escapeTerraformTemplate, renderUserData } from '../scripts/user-data';
import type { DataVolumeSettings } from './data-volume';
import { NodeRole } from './node-role';
import { nodeSettingsInput } from './node-settings';

/** gp3 data volume sizing. */
export interface CockroachNodeProps {
  readonly name: string;
  readonly amiId: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly privateIp: string;
  /** The subnet CIDR reservation that keeps `privateIp` for this node; the instance is created after it. */
  readonly ipReservation: Ec2SubnetCidrReservation;
  readonly securityGroupId: string;
  readonly role: NodeRole;
  readonly dataVolume: DataVolumeSettings;
  readonly targetGroupArn: string;
  readonly privateZoneId: string;
  readonly dnsName: string;
  /** Boot settings except what this construct creates (the data volume id). */
  readonly boot: Omit<NodeBootSettings, 'dataVolumeId'>;
  /** What must exist before the instance boots, besides its IP reservation and role permissions. @default none */
  readonly createdAfter?: ITerraformDependable[];
}

/** The device the data volume is attached as; on Nitro it appears as NVMe, found by volume id. */
export const DATA_VOLUME_DEVICE = '/dev/sdf';

/**
 * Instance attributes a plain apply never changes on a running node: a new AMI release (recorded
 * in the node's wanted settings, so it shows up as a pending roll), new
 * user data (version, checksum, `--cache`, `--max-sql-memory`, scripts; `user_data_base64` since
 * it is gzipped, `user_data` for instances created before) and a new instance type would each
 * stop or replace all three nodes at once. They take effect when one node is
 * replaced on purpose (`terraform apply -replace=<that node's aws_instance>`).
 */
export const NODE_IGNORED_CHANGES = ['ami', 'user_data', 'user_data_base64', 'instance_type'] as const;

/**
 * One CockroachDB node: an EC2 instance with a fixed (reserved) private IP, IMDSv2 only, no SSH
 * key, and a separate encrypted gp3 data volume that outlives the instance and re-attaches to
 * its replacement.
 *
 * Rolling: the instance keeps the node's settings in its config but ignores changes to them
 * ({@link NODE_IGNORED_CHANGES}); `settings` (a `terraform_data`) holds the wanted settings and
 * is updated in place by a plain apply, so a pending change shows in the plan while touching
 * nothing that runs; `runningSettings` records what the current instance booted with (it is
 * replaced with the instance and otherwise ignores changes). A node whose two records differ
 * still runs old settings.
 */
export class CockroachNode extends Construct {
  readonly instance: Instance;
  readonly dataVolume: EbsVolume;
  readonly dataVolumeAttachment: VolumeAttachment;
  readonly userData: TerraformLocal;
  /** Wanted settings; a plain apply updates it in place. */
  readonly settings: DataResource;
  /** Settings the current instance booted with; replaced with the instance, never updated. */
  readonly runningSettings: DataResource;

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
    this.userData = new TerraformLocal(this, 'user-data', renderUserData({ ...props.boot, dataVolumeId: this.dataVolume.id }, escapeTerraformTemplate));
    const settings = nodeSettingsInput({
      amiId: props.amiId,
      cockroachVersion: props.boot.cockroachVersion,
      cockroachSha256: props.boot.cockroachSha256,
      cache: props.boot.cache,
      maxSqlMemory: props.boot.maxSqlMemory,
      instanceType: props.instanceType,
      userDataSha256: Fn.sha256(this.userData.asString),
    });
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
      // Gzipped (cloud-init inflates it): the scripts exceed EC2's 16 KB of raw user data.
      userDataBase64: Fn.base64gzip(this.userData.asString),
      userDataReplaceOnChange: true,
      tags: { Name: props.name },
      // The boot reads secrets at once: the role's permissions must exist, not only its profile.
      dependsOn: [props.ipReservation, ...props.role.permissions, ...(props.createdAfter ?? [])],
      lifecycle: { ignoreChanges: [...NODE_IGNORED_CHANGES] },
    });
    this.settings = new DataResource(this, 'settings', { input: settings });
    this.runningSettings = new DataResource(this, 'running-settings', {
      input: settings,
      triggersReplace: { instance_id: this.instance.id },
      lifecycle: { ignoreChanges: ['input'] },
    });
    this.dataVolumeAttachment = new VolumeAttachment(this, 'data-attachment', {
      deviceName: DATA_VOLUME_DEVICE,
      volumeId: this.dataVolume.id,
      instanceId: this.instance.id,
      stopInstanceBeforeDetaching: true,
    });
    new LbTargetGroupAttachment(this, 'target', { targetGroupArn: props.targetGroupArn, targetId: this.instance.id, port: SQL_PORT });
    new Route53Record(this, 'dns', { zoneId: props.privateZoneId, name: props.dnsName, type: 'A', ttl: 300, records: [props.privateIp] });
  }
}
