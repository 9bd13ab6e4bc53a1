"""moto's server on 127.0.0.1 with the fixes the deploy rehearsal needs, one per function below.

Usage: python3 launcher.py --tls <cert.pem> <key.pem> [--without-fixes]
Binds a free loopback port, serves HTTPS only with that certificate, prints `listening <port>`
on stdout, and serves until stdin closes (so the server stops with the process that started it).
Every fix changes moto's behaviour towards what AWS does; none changes what the stacks ask for.
The rehearsal report lists them (FIXES below is the list, printed by `python3 launcher.py --fixes`).
"""

import json
import os
import re
import sys
import threading

if "--without-fixes" not in sys.argv:
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"  # read by moto when its IAM backend starts

import moto
from moto.core.responses import ActionResult
from moto.ec2.models.instances import Instance
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.ec2.responses.subnets import Subnets
from moto.eks.responses import EKSResponse
from moto.ec2.models import ec2_backends
from moto.ec2.responses.instances import InstanceResponse
from moto.ec2.responses.launch_templates import LaunchTemplates
from moto.elbv2.exceptions import ELBClientError
from moto.elbv2.models import ELBv2Backend
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.core.utils import utcnow
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.route53.models import Route53Backend
from moto.route53.responses import Route53
from moto.s3.models import FakeBucket, S3Backend
from moto.s3.exceptions import ReplicationConfigurationNotFoundError
from moto.s3.responses import S3Response
from moto.secretsmanager.models import FakeSecret
from moto.ec2.models.nat_gateways import NatGatewayBackend
from moto.servicequotas.exceptions import NoSuchResource
from moto.servicequotas.resources.default_quotas.vpc import VPC_DEFAULT_QUOTAS
from moto.servicequotas.responses import ServiceQuotasResponse
from moto.ssm.models import Parameter, ParameterDict
from werkzeug.serving import make_server

FIXES = [
    "IAM: AWS managed policies exist (MOTO_IAM_LOAD_MANAGED_POLICIES=true; moto leaves them out by default, and attaching AmazonSSMManagedInstanceCore to a node role failed with NoSuchEntity)",
    "Route 53 CreateHostedZone with a VPC creates a private zone (moto reads only HostedZoneConfig.PrivateZone, so associating a second VPC failed with PublicZoneVPCAssociation)",
    "EC2 MonitorInstances and UnmonitorInstances implemented (moto raised NotImplementedError, an HTTP 500, and an aws_instance with monitoring = true timed out)",
    "EC2 ModifyInstanceAttribute calls moto does not recognise are accepted unchanged (moto cleared the instance's security groups, and the next plan showed drift)",
    "EC2 RunInstances with a network interface: the instance reports the interface's security groups (moto reported none, and the next plan showed drift in vpc_security_group_ids)",
    "EC2 subnet CIDR reservations keep their description (moto dropped it, and the next plan replaced every reservation)",
    "EKS CreateCluster keeps accessConfig and upgradePolicy for DescribeCluster (moto dropped them: the next plan replaced the cluster, then updated it)",
    "EKS CreateCluster creates the cluster security group in the cluster's VPC, and DeleteCluster deletes it, as EKS does (moto reported none, an empty id the launch template then held)",
    "EKS CreateNodegroup keeps updateConfig, and without remoteAccess has none (moto dropped the first and invented an SSH key pair: the next plan replaced the node group)",
    "EC2 CreateLaunchTemplate: the template's own tags (resource type launch-template) stay out of its launch data (moto copied them in, and the next plan updated the template)",
    "EC2 security group rules that reference a group keep their description (moto returned none, and the next plan showed drift)",
    "S3 lifecycle NoncurrentVersionExpiration keeps NewerNoncurrentVersions (moto dropped it, and the provider waited about 3 minutes for it)",
    "S3 bucket policies: the TLS-only Deny (Bool aws:SecureTransport = false) does not apply to requests over TLS; the server takes HTTPS only (moto ignores Bool conditions and denied every request to the state bucket, so no stack could keep its state there)",
    "ELBv2 DeleteLoadBalancer refuses a load balancer whose deletion protection is on, with OperationNotPermitted (moto deleted it, so a destroy that AWS refuses passed here)",
    "S3 DeleteObject(s) with a VersionId in a versioning-suspended bucket deletes that version (moto treated the bucket as unversioned: it dropped every version of the key and answered HTTP 500 for a delete marker, so force_destroy never emptied a bucket whose versioning resource was destroyed first)",
    "S3 bucket metrics configurations: Put, Get, List and Delete keep one configuration per Id (moto has none: its DeleteBucketMetricsConfiguration fell through to DeleteBucket and deleted the bucket, so destroying the backup alarm's request metrics deleted the backups bucket the teardown keeps)",
    "Service Quotas: GetAWSDefaultServiceQuota answers (moto raised NotImplementedError, and every aws_servicequotas_service_quota data source failed), the EC2 quotas the plan-time checks read exist at their documented defaults (L-0263D0A3 and L-1216C47A, 5 each; moto knew only the vpc service), and RequestServiceQuotaIncrease is approved at once and raises the applied value GetServiceQuota returns",
    "EC2 DescribeNatGateways honours tag:<key> filters (moto ignored them and returned every NAT gateway, so a stack's own gateways could not be told from the rest of the account)",
    "S3 GetBucketReplication answers each rule as it was put: its Filter, SourceSelectionCriteria and DeleteMarkerReplication (moto answered Filter Prefix \"\" and DeleteMarkerReplication Disabled for every rule and dropped SourceSelectionCriteria, and the next plan updated the backup bucket's replication)",
    "Secrets Manager: a replica keeps the KMS key it was created with (AddReplicaRegions KmsKeyId) in DescribeSecret's ReplicationStatus (moto reported alias/aws/secretsmanager for every replica, and the next plan updated every PKI secret replicated with the region's own key)",
    "EC2 DescribeInstances filters on instance-lifecycle (spot | scheduled | capacity-block; EC2 API Reference, DescribeInstances, Filter.N: an On-Demand Instance has none; moto raised NotImplementedError, an HTTP 500, and the vCPU check's listing of the account's Spot, Scheduled and Capacity Block instances failed)",
    "Route 53 ChangeResourceRecordSets applies one change batch at a time, each whole (Route 53 API Reference: change batches are transactional, all or none; moto rebuilds a zone's record list for each DELETE without a lock, so two deletes in one zone at once, as terraform sends them, could bring back the record the other deleted, and destroying the zone then failed with HostedZoneNotEmpty)",
    "SSM: the public parameters AWS publishes with the recommended EKS optimized AL2023 AMI release of each Kubernetes version exist (/aws/service/eks/optimized-ami/<version>/amazon-linux-2023/x86_64/standard/recommended/release_version; moto has none, and reading one failed with ParameterNotFound). The values are stand-ins of the real shape (<version>.0-20260101)",
]

# The EC2 quotas the stacks' plan-time checks read, at the default values AWS documents: the
# Elastic IP quota, 5 per Region (Amazon EC2 User Guide, "Elastic IP address quota"; AWS General
# Reference, "Amazon EC2 endpoints and quotas"), and the On-Demand Standard vCPU quota, whose
# documented `aws service-quotas get-aws-default-service-quota --service-code ec2 --quota-code
# L-1216C47A` output is "Value": 5.0 (AWS CLI Command Reference, service-quotas examples).
EC2_DEFAULT_QUOTAS = [
    {"QuotaCode": "L-0263D0A3", "QuotaName": "EC2-VPC Elastic IPs", "Value": 5.0},
    {
        "QuotaCode": "L-1216C47A",
        "QuotaName": "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
        "Value": 5.0,
        "UsageMetric": {"MetricNamespace": "AWS/Usage", "MetricName": "ResourceCount", "MetricDimensions": {"Class": "Standard/OnDemand", "Resource": "vCPU", "Service": "EC2", "Type": "Resource"}, "MetricStatisticRecommendation": "Maximum"},
    },
]


def private_zone_when_vpc_given():
    create = Route53.create_hosted_zone

    def create_hosted_zone(self):
        if self._get_param("VPC.VPCId"):
            get_bool = self._get_bool_param
            self._get_bool_param = lambda name, default=None: True if name == "HostedZoneConfig.PrivateZone" else get_bool(name, default)
        return create(self)

    Route53.create_hosted_zone = create_hosted_zone


def monitor_instances():
    def set_monitoring(self, state):
        ids = self._get_param("InstanceIds", [])
        self.error_on_dryrun()
        for instance in self.ec2_backend.get_multi_instances_by_id(ids):
            instance.monitoring_state = state
        return ActionResult({"InstanceMonitorings": [{"InstanceId": i, "Monitoring": {"State": state}} for i in ids]})

    InstanceResponse.monitor_instances = lambda self: set_monitoring(self, "enabled")
    InstanceResponse.unmonitor_instances = lambda self: set_monitoring(self, "disabled")


def keep_security_groups_on_unknown_attribute_calls():
    replace_groups = InstanceResponse._security_grp_instance_attribute_handler

    def handler(self):
        if not self._get_param("Groups"):
            return True  # accepted, nothing changed: what moto cannot model must not clear the groups
        return replace_groups(self)

    InstanceResponse._security_grp_instance_attribute_handler = handler


def instance_groups_from_primary_interface():
    initialise = Instance.__init__

    def init(self, *args, **kwargs):
        initialise(self, *args, **kwargs)
        primary = self.nics.get(0)
        if not self.security_groups and primary is not None:
            self.security_groups = list(primary._group_set)

    Instance.__init__ = init


def keep_cidr_reservation_description():
    def create_subnet_cidr_reservation(self):
        self.error_on_dryrun()
        reservation = self.ec2_backend.create_subnet_cidr_reservation(self._get_param("SubnetId"), self._get_param("ReservationType"), self._get_param("Cidr"), self._get_param("TagSpecifications", []))
        reservation.description = self._get_param("Description")
        return ActionResult({"SubnetCidrReservation": reservation})

    Subnets.create_subnet_cidr_reservation = create_subnet_cidr_reservation


def keep_eks_cluster_settings():
    create_cluster = EKSResponse.create_cluster
    delete_cluster = EKSResponse.delete_cluster

    def create(self):
        result = create_cluster(self)
        cluster = result.result["cluster"]
        cluster.access_config = self._get_param("accessConfig")
        cluster.upgrade_policy = self._get_param("upgradePolicy")
        ec2 = ec2_backends[self.current_account][self.region]
        subnets = cluster.resources_vpc_config.get("subnetIds") or []
        if subnets and not cluster.resources_vpc_config.get("clusterSecurityGroupId"):
            group = ec2.create_security_group(name=f"eks-cluster-sg-{cluster.name}", description="EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.", vpc_id=ec2.get_subnet(subnets[0]).vpc_id)
            cluster.resources_vpc_config["clusterSecurityGroupId"] = group.id
        return result

    def delete(self):
        name = self._get_param("name")
        group_id = self.eks_backend.describe_cluster(name=name).resources_vpc_config.get("clusterSecurityGroupId")
        result = delete_cluster(self)
        if group_id:
            ec2_backends[self.current_account][self.region].delete_security_group(group_id=group_id)
        return result

    EKSResponse.create_cluster = create
    EKSResponse.delete_cluster = delete


def keep_nodegroup_settings():
    create_nodegroup = EKSResponse.create_nodegroup

    def create(self):
        result = create_nodegroup(self)
        nodegroup = result.result["nodegroup"]
        if self._get_param("remoteAccess") is None:
            nodegroup.remote_access = None
        nodegroup.update_config = self._get_param("updateConfig") or nodegroup.update_config
        return result

    EKSResponse.create_nodegroup = create


def launch_template_tags_out_of_launch_data():
    create_launch_template = LaunchTemplates.create_launch_template

    def create(self):
        result = create_launch_template(self)
        for template in self.ec2_backend.launch_templates.values():
            for version in template.versions:
                specs = version.data.get("TagSpecifications")
                if specs:
                    version.data["TagSpecifications"] = [spec for spec in specs if spec.get("ResourceType") != "launch-template"]
        return result

    LaunchTemplates.create_launch_template = create


def describe_group_reference_rules():
    SecurityGroupRule.description = property(lambda self: self.ip_range.get("Description") or (self.source_group or {}).get("Description"))


def keep_newer_noncurrent_versions():
    set_lifecycle = FakeBucket.set_lifecycle

    def record(self, rules):
        set_lifecycle(self, rules)
        self.newer_noncurrent_versions = {
            rule.get("ID"): rule["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"]
            for rule in rules
            if isinstance(rule.get("NoncurrentVersionExpiration"), dict) and rule["NoncurrentVersionExpiration"].get("NewerNoncurrentVersions") is not None
        }

    get_lifecycle = S3Response.get_bucket_lifecycle

    def respond(self):
        serialized = self.serialized
        bucket = self.backend.get_bucket(self.bucket_name)

        def add_newer_versions(action_result):
            rules = action_result.result.get("Rules", []) if isinstance(action_result.result, dict) else []  # errors pass through
            for rule in rules:
                newer = getattr(bucket, "newer_noncurrent_versions", {}).get(rule.get("ID"))
                if newer is not None and "NoncurrentVersionExpiration" in rule:
                    rule["NoncurrentVersionExpiration"]["NewerNoncurrentVersions"] = newer
            return serialized(action_result)

        self.serialized = add_newer_versions
        return get_lifecycle(self)

    FakeBucket.set_lifecycle = record
    S3Response.get_bucket_lifecycle = respond


def tls_only_deny_skipped_over_tls():
    def applies_over_tls(statement):
        condition = statement.get("Condition") or {}
        secure = {key.lower(): str(value).lower() for key, value in (condition.get("Bool") or {}).items()}
        return not (set(condition) == {"Bool"} and secure == {"aws:securetransport": "false"})

    def get_permission(self, action, resource):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy.decode())
        statements = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
        remaining = [statement for statement in statements if applies_over_tls(statement)]
        if not remaining:
            return PermissionResult.NEUTRAL
        return IAMPolicy(json.dumps({**policy, "Statement": remaining})).is_action_permitted(action, resource)

    FakeBucket.get_permission = get_permission


def enforce_load_balancer_deletion_protection():
    # AWS: "You can't delete a Network Load Balancer if deletion protection is enabled" (Elastic Load
    # Balancing, "Delete a Network Load Balancer"); DeleteLoadBalancer's error for it is
    # OperationNotPermitted (ELBv2 API reference, DeleteLoadBalancer, Errors).
    delete = ELBv2Backend.delete_load_balancer

    def delete_load_balancer(self, arn):
        balancer = self.load_balancers.get(arn)
        if balancer is not None and balancer.attrs.get("deletion_protection.enabled") == "true":
            raise ELBClientError("OperationNotPermitted", f"Load balancer '{arn}' cannot be deleted because deletion protection is enabled")
        return delete(self, arn)

    ELBv2Backend.delete_load_balancer = delete_load_balancer


def delete_version_in_suspended_bucket():
    # AWS: "Even in a versioning-suspended bucket, the bucket owner can permanently delete a specified
    # version by including the version ID in the DELETE request" (S3 User Guide, "Deleting objects from
    # versioning-suspended buckets"). moto 5.2.1 ignores the version ID once versioning is Suspended.
    delete = S3Backend.delete_object
    lock = threading.Lock()

    def delete_object(self, bucket_name, key_name, version_id=None, bypass=False):
        bucket = self.get_bucket(bucket_name)
        if version_id is None or getattr(bucket, "versioning_status", None) != "Suspended":
            return delete(self, bucket_name, key_name, version_id=version_id, bypass=bypass)
        with lock:  # moto's versioned branch reads the status: answer this one request as a versioned bucket
            bucket.versioning_status = "Enabled"
            try:
                return delete(self, bucket_name, key_name, version_id=version_id, bypass=bypass)
            finally:
                bucket.versioning_status = "Suspended"

    S3Backend.delete_object = delete_object


def bucket_metrics_configurations():
    # AWS S3 API reference: PutBucketMetricsConfiguration stores a MetricsConfiguration under its Id,
    # GetBucketMetricsConfiguration returns it (NoSuchConfiguration, 404, when there is none),
    # ListBucketMetricsConfigurations lists them, DeleteBucketMetricsConfiguration removes that one
    # configuration (204). moto 5.2.1 implements none of them.
    configurations = {}
    lock = threading.Lock()
    put, get, delete = S3Response._bucket_response_put, S3Response._bucket_response_get, S3Response._bucket_response_delete
    not_found = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchConfiguration</Code><Message>The specified configuration does not exist.</Message></Error>'

    def configuration_id(querystring):
        return (querystring.get("id") or [""])[0]

    def handle_put(self, request, bucket_name, querystring):
        if "metrics" not in querystring:
            return put(self, request, bucket_name, querystring)
        self.backend.get_bucket(bucket_name)  # NoSuchBucket, as AWS answers
        body = self.body.decode("utf-8") if isinstance(self.body, bytes) else self.body
        with lock:
            configurations[(bucket_name, configuration_id(querystring))] = body
        return 200, {}, ""

    def handle_get(self, bucket_name, querystring):
        if "metrics" not in querystring:
            return get(self, bucket_name, querystring)
        self.backend.get_bucket(bucket_name)
        with lock:
            if "id" not in querystring:
                # Each listed configuration is a flattened <MetricsConfiguration> element, as stored.
                bodies = "".join(re.sub(r"^\s*<\?xml[^>]*>", "", body) for (bucket, _), body in configurations.items() if bucket == bucket_name)
                return 200, {"Content-Type": "application/xml"}, f'<?xml version="1.0" encoding="UTF-8"?><ListMetricsConfigurationsResult><IsTruncated>false</IsTruncated>{bodies}</ListMetricsConfigurationsResult>'
            body = configurations.get((bucket_name, configuration_id(querystring)))
        return (404, {"Content-Type": "application/xml"}, not_found) if body is None else (200, {"Content-Type": "application/xml"}, body)

    def handle_delete(self, bucket_name, querystring):
        if "metrics" not in querystring:
            result = delete(self, bucket_name, querystring)
            if not querystring:  # the bucket itself: its configurations go with it
                with lock:
                    for key in [key for key in configurations if key[0] == bucket_name]:
                        del configurations[key]
            return result
        self.backend.get_bucket(bucket_name)
        with lock:
            configurations.pop((bucket_name, configuration_id(querystring)), None)
        return 204, {}, ""

    S3Response._bucket_response_put = handle_put
    S3Response._bucket_response_get = handle_get
    S3Response._bucket_response_delete = handle_delete


def service_quotas_for_the_checks():
    """GetAWSDefaultServiceQuota (the default), GetServiceQuota (the applied value: the default
    until an increase is approved) and RequestServiceQuotaIncrease, as the Service Quotas API
    Reference describes them. A request is approved at once here ("Some quota increase requests are
    approved automatically", Service Quotas User Guide, "Requesting a quota increase"); its desired
    value becomes the applied value."""
    applied = {}

    def default(service, code, region):
        if service == "vpc":
            known = [dict(quota) for quota in VPC_DEFAULT_QUOTAS if quota["QuotaCode"] == code]
        elif service == "ec2":
            known = [{**quota, "Adjustable": True, "GlobalQuota": False, "ServiceCode": "ec2", "ServiceName": "Amazon Elastic Compute Cloud (Amazon EC2)", "Unit": "None"} for quota in EC2_DEFAULT_QUOTAS if quota["QuotaCode"] == code]
        else:
            known = []
        if not known:
            raise NoSuchResource
        return {**known[0], "QuotaArn": f"arn:aws:servicequotas:{region}::{service}/{code}"}

    def params(self):
        body = json.loads(self.body)
        return str(body.get("ServiceCode")), str(body.get("QuotaCode")), body

    def get_default(self):
        service, code, _ = params(self)
        return json.dumps({"Quota": default(service, code, self.region)})

    def get_applied(self):
        service, code, _ = params(self)
        quota = default(service, code, self.region)
        quota["Value"] = applied.get((self.current_account, self.region, service, code), quota["Value"])
        return json.dumps({"Quota": quota})

    def request_increase(self):
        service, code, body = params(self)
        quota = default(service, code, self.region)
        desired = float(body["DesiredValue"])
        applied[(self.current_account, self.region, service, code)] = desired
        return json.dumps({"RequestedQuota": {"Id": f"{code}-{int(desired)}", "ServiceCode": service, "QuotaCode": code, "QuotaName": quota["QuotaName"], "DesiredValue": desired, "Status": "APPROVED", "QuotaArn": quota["QuotaArn"]}})

    ServiceQuotasResponse.get_aws_default_service_quota = get_default
    ServiceQuotasResponse.get_service_quota = get_applied
    ServiceQuotasResponse.request_service_quota_increase = request_increase


def nat_gateway_tag_filters():
    """DescribeNatGateways filters on `tag:<key>` (EC2 API Reference, DescribeNatGateways, Filter.N)."""
    describe = NatGatewayBackend.describe_nat_gateways

    def filtered(self, filters, nat_gateway_ids):
        gateways = describe(self, filters, nat_gateway_ids)
        for name, values in (filters or {}).items():
            if name.startswith("tag:"):
                key = name[len("tag:"):]
                gateways = [gateway for gateway in gateways if any(tag["key"] == key and tag["value"] in values for tag in self.describe_tags(filters={"resource-id": [gateway.id]}))]
        return gateways

    NatGatewayBackend.describe_nat_gateways = filtered


def instance_lifecycle_filter():
    """DescribeInstances filter instance-lifecycle: "Indicates whether this is a Spot Instance, a Scheduled
    Instance, or a Capacity Block (spot | scheduled | capacity-block)" (EC2 API Reference, DescribeInstances,
    Filter.N). moto keeps the value as Instance.lifecycle ("spot" for a Spot request's instances, None for an
    On-Demand one), so an On-Demand Instance matches none of the values, as in AWS."""
    from moto.ec2 import utils

    utils.filter_dict_attribute_mapping["instance-lifecycle"] = "lifecycle"


def eks_optimized_ami_release_parameters():
    check_loading_status = ParameterDict._check_loading_status
    prefix = "/aws/service/eks/optimized-ami/"

    def check(self, key):
        check_loading_status(self, key)
        if str(key or "").startswith(prefix) and not getattr(self, "eks_optimized_amis_loaded", False):
            self.eks_optimized_amis_loaded = True
            for minor in range(28, 41):
                version = f"1.{minor}"
                name = f"{prefix}{version}/amazon-linux-2023/x86_64/standard/recommended/release_version"
                parameter = Parameter(account_id=self.account_id, name=name, value=f"{version}.0-20260101", parameter_type="String", description=None, allowed_pattern=None, keyid=None, last_modified_date=utcnow(), version=1, data_type="text")
                if not dict.__contains__(self, name):
                    dict.__setitem__(self, name, [parameter])

    ParameterDict._check_loading_status = check


def replication_rules_as_put():
    # S3 API Reference, GetBucketReplication: returns the bucket's replication configuration, each
    # rule with the elements PutBucketReplication set (Filter, SourceSelectionCriteria,
    # ExistingObjectReplication, DeleteMarkerReplication, Destination). moto 5.2.1's
    # S3Response.get_bucket_replication answers a fixed Filter {"Prefix": ""} and
    # DeleteMarkerReplication Disabled for every rule, and drops the rest but the destination.
    elements = ("ID", "Priority", "Status", "Filter", "Prefix", "SourceSelectionCriteria", "ExistingObjectReplication", "DeleteMarkerReplication", "Destination")

    def get_bucket_replication(self):
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
        rules = [{name: rule[name] for name in elements if name in rule} for rule in replication["Rule"]]
        return self.serialized(ActionResult({"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}}))

    S3Response.get_bucket_replication = get_bucket_replication


def one_record_change_batch_at_a_time():
    # Route 53 API Reference, ChangeResourceRecordSets, "Change Batches and Transactional Changes":
    # "Change batches are considered transactional changes. Route 53 validates the changes in the
    # request and then either makes all or none of the changes in the change batch request." moto
    # 5.2.1's FakeZone.delete_rrset (route53/models.py) rebuilds the zone's record list and assigns
    # it, with no lock: two DELETE requests for records of one zone at once (terraform deletes a
    # stack's records in parallel) can both rebuild from the same list, and the later assignment
    # brings back the record the other request deleted. The server answered both with success.
    change = Route53Backend.change_resource_record_sets
    lock = threading.Lock()

    def change_resource_record_sets(self, zoneid, change_list):
        with lock:
            return change(self, zoneid, change_list)

    Route53Backend.change_resource_record_sets = change_resource_record_sets


def secret_replicas_keep_their_kms_key():
    # AWS Secrets Manager API Reference: ReplicaRegionType.KmsKeyId is "the ARN, key ID, or alias of
    # the KMS key to encrypt the secret. If you don't include this field, Secrets Manager uses
    # aws/secretsmanager", and DescribeSecret's ReplicationStatus[].KmsKeyId is "the key ID, ARN or
    # alias" that encrypts the replica. moto 5.2.1's ReplicaSecret (secretsmanager/models.py) sets
    # it to alias/aws/secretsmanager whatever the request said.
    create = FakeSecret.create_replicas

    def create_replicas(self, replica_regions, force_overwrite):
        replicas = create(self, replica_regions, force_overwrite)
        for replica, requested in zip(replicas, replica_regions or []):
            if requested.get("KmsKeyId"):
                replica.config["KmsKeyId"] = requested["KmsKeyId"]
        return replicas

    FakeSecret.create_replicas = create_replicas


def main():
    if "--ec2-quotas" in sys.argv:
        print(json.dumps(EC2_DEFAULT_QUOTAS))
        return
    if "--fixes" in sys.argv:
        print(f"moto {moto.__version__}")
        print("\n".join(FIXES))
        return
    fixes = () if "--without-fixes" in sys.argv else (private_zone_when_vpc_given, monitor_instances, keep_security_groups_on_unknown_attribute_calls, instance_groups_from_primary_interface, keep_cidr_reservation_description, keep_eks_cluster_settings, keep_nodegroup_settings, launch_template_tags_out_of_launch_data, describe_group_reference_rules, keep_newer_noncurrent_versions, tls_only_deny_skipped_over_tls, enforce_load_balancer_deletion_protection, delete_version_in_suspended_bucket, bucket_metrics_configurations, service_quotas_for_the_checks, nat_gateway_tag_filters, replication_rules_as_put, secret_replicas_keep_their_kms_key, instance_lifecycle_filter, one_record_change_batch_at_a_time, eks_optimized_ami_release_parameters)
    for fix in fixes:  # --without-fixes: plain moto, for the tests that show each fix is needed
        fix()
    tls = sys.argv.index("--tls")
    server = make_server("127.0.0.1", 0, DomainDispatcherApplication(create_backend_app), threaded=True, ssl_context=(sys.argv[tls + 1], sys.argv[tls + 2]))
    print(f"listening {server.server_port}", flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
