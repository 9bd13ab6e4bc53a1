"""Calls the APIs the launcher fixes and prints what the emulator answered, as JSON.

Usage: AWS_CA_BUNDLE=<the server certificate> python3 probe_fixes.py <https endpoint>
The rehearsal's tests run it against the launcher with and without its fixes.
"""

import json
import sys

import boto3
from botocore.config import Config


def client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="probe", aws_secret_access_key="probe", config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))


def attempt(call):
    try:
        return call()
    except Exception as error:  # the probe reports what failed instead of stopping
        return f"error: {type(error).__name__}: {error}"[:200]


def main(endpoint):
    ec2, route53, s3 = client("ec2", endpoint), client("route53", endpoint), client("s3", endpoint)
    vpc1 = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    vpc2 = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    zone = route53.create_hosted_zone(Name="probe.internal", CallerReference="probe", VPC={"VPCRegion": "us-east-1", "VPCId": vpc1})["HostedZone"]
    associate = attempt(lambda: route53.associate_vpc_with_hosted_zone(HostedZoneId=zone["Id"], VPC={"VPCRegion": "us-east-1", "VPCId": vpc2}) and "ok")

    subnet = ec2.create_subnet(VpcId=vpc1, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="probe", Description="probe", VpcId=vpc1)["GroupId"]
    peer = ec2.create_security_group(GroupName="peer", Description="peer", VpcId=vpc1)["GroupId"]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, SecurityGroupIds=[group])["Instances"][0]["InstanceId"]
    via_interface = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": subnet, "PrivateIpAddress": "10.1.1.20", "Groups": [group]}])["Instances"][0]["InstanceId"]
    groups_via_interface = [g["GroupId"] for g in ec2.describe_instances(InstanceIds=[via_interface])["Reservations"][0]["Instances"][0]["SecurityGroups"]]
    ec2.create_subnet_cidr_reservation(SubnetId=subnet, Cidr="10.1.1.30/32", ReservationType="explicit", Description="Fixed IP")
    reservation_description = ec2.get_subnet_cidr_reservations(SubnetId=subnet)["SubnetIpv4CidrReservations"][0].get("Description")
    monitor = attempt(lambda: ec2.monitor_instances(InstanceIds=[instance])["InstanceMonitorings"][0]["Monitoring"]["State"])
    attempt(lambda: ec2.modify_instance_attribute(InstanceId=instance, InstanceInitiatedShutdownBehavior={"Value": "stop"}))
    groups_after_modify = [g["GroupId"] for g in ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["SecurityGroups"]]

    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 26257, "ToPort": 26257, "UserIdGroupPairs": [{"GroupId": peer, "Description": "from peer"}]}])
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    reference_rule_description = next((r.get("Description") for r in rules if r.get("ReferencedGroupInfo")), None)

    s3.create_bucket(Bucket="probe-bucket")
    s3.put_bucket_lifecycle_configuration(Bucket="probe-bucket", LifecycleConfiguration={"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {"Prefix": ""}, "NoncurrentVersionExpiration": {"NoncurrentDays": 90, "NewerNoncurrentVersions": 10}}]})
    expiration = s3.get_bucket_lifecycle_configuration(Bucket="probe-bucket")["Rules"][0]["NoncurrentVersionExpiration"]

    s3.create_bucket(Bucket="tls-only-bucket")
    s3.put_bucket_policy(Bucket="tls-only-bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::tls-only-bucket", "arn:aws:s3:::tls-only-bucket/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    put_over_tls = attempt(lambda: s3.put_object(Bucket="tls-only-bucket", Key="state", Body=b"{}") and "ok")

    iam = client("iam", endpoint)
    iam.create_role(RoleName="probe", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    attach_managed = attempt(lambda: iam.attach_role_policy(RoleName="probe", PolicyArn="arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore") and "ok")

    eks = client("eks", endpoint)
    role = iam.get_role(RoleName="probe")["Role"]["Arn"]
    eks.create_cluster(name="probe", roleArn=role, resourcesVpcConfig={"subnetIds": [subnet]}, accessConfig={"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False}, upgradePolicy={"supportType": "STANDARD"})
    cluster = eks.describe_cluster(name="probe")["cluster"]
    cluster_group = cluster["resourcesVpcConfig"].get("clusterSecurityGroupId")
    cluster_group_exists = bool(cluster_group) and bool(ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [cluster_group]}])["SecurityGroups"])
    template = ec2.create_launch_template(LaunchTemplateName="probe", LaunchTemplateData={"InstanceType": "m5.large", "TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "node"}]}]}, TagSpecifications=[{"ResourceType": "launch-template", "Tags": [{"Key": "Project", "Value": "probe"}]}])["LaunchTemplate"]["LaunchTemplateId"]
    template_data_tag_types = [spec["ResourceType"] for spec in ec2.describe_launch_template_versions(LaunchTemplateId=template)["LaunchTemplateVersions"][0]["LaunchTemplateData"].get("TagSpecifications", [])]
    eks.create_nodegroup(clusterName="probe", nodegroupName="probe", subnets=[subnet], nodeRole=role, launchTemplate={"id": template}, updateConfig={"maxUnavailable": 1})
    nodegroup = eks.describe_nodegroup(clusterName="probe", nodegroupName="probe")["nodegroup"]
    eks.delete_nodegroup(clusterName="probe", nodegroupName="probe")
    eks.delete_cluster(name="probe")
    cluster_group_after_delete = bool(cluster_group) and bool(ec2.describe_security_groups(Filters=[{"Name": "group-id", "Values": [cluster_group]}])["SecurityGroups"])

    elbv2 = client("elbv2", endpoint)
    subnet_b = ec2.create_subnet(VpcId=vpc1, CidrBlock="10.1.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    balancer = elbv2.create_load_balancer(Name="probe", Type="network", Scheme="internal", Subnets=[subnet, subnet_b])["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=balancer, Attributes=[{"Key": "deletion_protection.enabled", "Value": "true"}])
    delete_protected = attempt(lambda: elbv2.delete_load_balancer(LoadBalancerArn=balancer) and "deleted")
    attempt(lambda: elbv2.modify_load_balancer_attributes(LoadBalancerArn=balancer, Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}]))
    delete_unprotected = attempt(lambda: elbv2.delete_load_balancer(LoadBalancerArn=balancer) and "deleted")

    s3.create_bucket(Bucket="suspended-bucket")
    s3.put_bucket_versioning(Bucket="suspended-bucket", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="suspended-bucket", Key="state", Body=b"1")
    s3.put_object(Bucket="suspended-bucket", Key="state", Body=b"2")
    s3.delete_object(Bucket="suspended-bucket", Key="state")
    s3.put_bucket_versioning(Bucket="suspended-bucket", VersioningConfiguration={"Status": "Suspended"})
    listed = s3.list_object_versions(Bucket="suspended-bucket")
    # As the aws provider's force_destroy does: every version, then every delete marker.
    for kind in ("Versions", "DeleteMarkers"):
        attempt(lambda: s3.delete_objects(Bucket="suspended-bucket", Delete={"Objects": [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in listed.get(kind, [])], "Quiet": True}))
    empty_suspended_bucket = attempt(lambda: s3.delete_bucket(Bucket="suspended-bucket") and "deleted")

    s3.create_bucket(Bucket="metrics-bucket")
    metrics = {"Id": "writes", "Filter": {"Prefix": "clusters/"}}
    put_metrics = attempt(lambda: s3.put_bucket_metrics_configuration(Bucket="metrics-bucket", Id="writes", MetricsConfiguration=metrics) and "ok")
    get_metrics = attempt(lambda: s3.get_bucket_metrics_configuration(Bucket="metrics-bucket", Id="writes")["MetricsConfiguration"])
    list_metrics = attempt(lambda: [c["Id"] for c in s3.list_bucket_metrics_configurations(Bucket="metrics-bucket")["MetricsConfigurationList"]])
    attempt(lambda: s3.delete_bucket_metrics_configuration(Bucket="metrics-bucket", Id="writes"))
    bucket_after_metrics_delete = attempt(lambda: s3.head_bucket(Bucket="metrics-bucket") and "exists")
    get_deleted_metrics = attempt(lambda: s3.get_bucket_metrics_configuration(Bucket="metrics-bucket", Id="writes")["MetricsConfiguration"])

    ssm = client("ssm", endpoint)
    eks_release = attempt(lambda: ssm.get_parameter(Name="/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/release_version")["Parameter"]["Value"])

    quotas = client("service-quotas", endpoint)
    default_eips = attempt(lambda: quotas.get_aws_default_service_quota(ServiceCode="ec2", QuotaCode="L-0263D0A3")["Quota"]["Value"])
    default_vcpus = attempt(lambda: quotas.get_aws_default_service_quota(ServiceCode="ec2", QuotaCode="L-1216C47A")["Quota"]["Value"])
    default_vpcs = attempt(lambda: quotas.get_aws_default_service_quota(ServiceCode="vpc", QuotaCode="L-F678F1CE")["Quota"]["Value"])
    attempt(lambda: quotas.request_service_quota_increase(ServiceCode="ec2", QuotaCode="L-1216C47A", DesiredValue=64))
    applied_vcpus = attempt(lambda: quotas.get_service_quota(ServiceCode="ec2", QuotaCode="L-1216C47A")["Quota"]["Value"])

    public = ec2.create_subnet(VpcId=vpc2, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    for name in ("mine", "theirs"):
        allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
        ec2.create_nat_gateway(SubnetId=public, AllocationId=allocation, TagSpecifications=[{"ResourceType": "natgateway", "Tags": [{"Key": "TerraformState", "Value": name}]}])
    tagged_nat_gateways = len(ec2.describe_nat_gateways(Filters=[{"Name": "tag:TerraformState", "Values": ["mine"]}])["NatGateways"])

    s3.create_bucket(Bucket="replicated-bucket")
    s3.put_bucket_versioning(Bucket="replicated-bucket", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_replication(Bucket="replicated-bucket", ReplicationConfiguration={"Role": "arn:aws:iam::123456789012:role/replication", "Rules": [{"ID": "r", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": "clusters/"}, "DeleteMarkerReplication": {"Status": "Disabled"}, "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}}, "Destination": {"Bucket": "arn:aws:s3:::replica-bucket"}}]})
    replication_rule = s3.get_bucket_replication(Bucket="replicated-bucket")["ReplicationConfiguration"]["Rules"][0]

    replica_key = "arn:aws:kms:us-east-2:123456789012:key/probe-replica"
    client("secretsmanager", endpoint).create_secret(Name="probe/replicated", SecretString="x", AddReplicaRegions=[{"Region": "us-east-2", "KmsKeyId": replica_key}])
    replica_status = client("secretsmanager", endpoint).describe_secret(SecretId="probe/replicated")["ReplicationStatus"][0]

    spot = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, InstanceMarketOptions={"MarketType": "spot"})["Instances"][0]["InstanceId"]
    not_on_demand = attempt(lambda: [i["InstanceId"] for r in ec2.describe_instances(Filters=[{"Name": "instance-lifecycle", "Values": ["spot", "scheduled", "capacity-block"]}])["Reservations"] for i in r["Instances"]] == [spot])

    print(json.dumps({
        "spotInstancesByLifecycle": not_on_demand,
        "replicationRule": [replication_rule.get("Filter"), replication_rule.get("SourceSelectionCriteria")],
        "replicaKmsKeyId": replica_status.get("KmsKeyId") == replica_key or replica_status.get("KmsKeyId"),
        "putMetrics": put_metrics,
        "getMetrics": get_metrics,
        "listMetrics": list_metrics,
        "bucketAfterMetricsDelete": bucket_after_metrics_delete,
        "getDeletedMetrics": get_deleted_metrics,
        "emptySuspendedBucket": empty_suspended_bucket,
        "deleteProtectedLoadBalancer": delete_protected,
        "deleteUnprotectedLoadBalancer": delete_unprotected,
        "eksReleaseParameter": eks_release,
        "quotaDefaults": [default_eips, default_vcpus, default_vpcs],
        "quotaAfterIncrease": applied_vcpus,
        "natGatewaysTaggedMine": tagged_nat_gateways,
        "eksAccessConfig": cluster.get("accessConfig"),
        "eksUpgradePolicy": cluster.get("upgradePolicy"),
        "eksClusterSecurityGroup": [cluster_group_exists, cluster_group_after_delete],
        "eksRemoteAccess": nodegroup.get("remoteAccess"),
        "eksUpdateConfig": nodegroup.get("updateConfig"),
        "launchTemplateDataTagTypes": template_data_tag_types,
        "attachManagedPolicy": attach_managed,
        "putOverTlsToTlsOnlyBucket": put_over_tls,
        "privateZone": route53.get_hosted_zone(Id=zone["Id"])["HostedZone"]["Config"].get("PrivateZone"),
        "associateSecondVpc": associate,
        "monitorInstances": monitor,
        "instanceGroupsViaInterface": groups_via_interface == [group],
        "cidrReservationDescription": reservation_description,
        "securityGroupsAfterUnknownModify": groups_after_modify == [group],
        "referenceRuleDescription": reference_rule_description,
        "newerNoncurrentVersions": expiration.get("NewerNoncurrentVersions"),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
