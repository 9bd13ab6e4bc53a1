"""Lists what is left in the emulator's account after the teardowns, as JSON.

Usage: AWS_CA_BUNDLE=<the server certificate> python3 leftovers.py <https endpoint> <region>
The rehearsal compares it with what the teardown said would stay (its dry run's list).
"""

import json
import sys

import boto3
from botocore.config import Config


def client(service, endpoint, region):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal", config=Config(s3={"addressing_style": "path"}))


def pages(call, key, **kwargs):
    items, token_key = [], None
    while True:
        page = call(**kwargs)
        items += page.get(key, [])
        token_key = next((name for name in ("NextToken", "NextMarker", "Marker", "nextToken") if page.get(name)), None)
        if token_key is None or page.get("IsTruncated") is False:
            return items
        kwargs[{"NextMarker": "Marker", "nextToken": "nextToken"}.get(token_key, token_key)] = page[token_key]


def tags_of(items):
    return {tag["Key"]: tag["Value"] for tag in items or []}


def main(endpoint, region):
    c = lambda service: client(service, endpoint, region)  # noqa: E731
    ec2, kms, elbv2 = c("ec2"), c("kms"), c("elbv2")
    aliases = pages(kms.list_aliases, "Aliases")
    # AWS managed keys (aliases alias/aws/<service>, KeyManager AWS) exist in every account that uses
    # the service; moto creates them (alias/aws/ebs for an encrypted volume) with KeyManager CUSTOMER.
    aws_managed = {alias.get("TargetKeyId") for alias in aliases if alias["AliasName"].startswith("alias/aws/")}
    keys = []
    for key in pages(kms.list_keys, "Keys"):
        metadata = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if metadata.get("KeyManager") == "CUSTOMER" and key["KeyId"] not in aws_managed:
            keys.append({"id": key["KeyId"], "state": metadata["KeyState"], "description": metadata.get("Description", "")})
    print(json.dumps({
        "buckets": [bucket["Name"] for bucket in c("s3").list_buckets().get("Buckets", [])],
        "snapshots": [{"id": snap["SnapshotId"], "tags": tags_of(snap.get("Tags"))} for snap in ec2.describe_snapshots(OwnerIds=["self"])["Snapshots"] if snap.get("Tags")],
        "kmsKeys": keys,
        "kmsAliases": [alias["AliasName"] for alias in aliases if not alias["AliasName"].startswith("alias/aws/")],
        "secrets": [{"name": secret["Name"], "deleted": "DeletedDate" in secret} for secret in pages(c("secretsmanager").list_secrets, "SecretList", IncludePlannedDeletion=True)],
        "logGroups": [group["logGroupName"] for group in c("logs").describe_log_groups().get("logGroups", [])],
        "loadBalancers": [lb["LoadBalancerName"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]],
        "targetGroups": [tg["TargetGroupName"] for tg in elbv2.describe_target_groups()["TargetGroups"]],
        "clusters": c("eks").list_clusters()["clusters"],
        "instances": [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"] if i["State"]["Name"] != "terminated"],
        "volumes": [v["VolumeId"] for v in ec2.describe_volumes()["Volumes"] if tags_of(v.get("Tags")).get("ManagedBy") == "cdktf"],
        "vpcs": [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")],
        "eips": [a.get("AllocationId") for a in ec2.describe_addresses()["Addresses"]],
        "roles": [role["RoleName"] for role in pages(c("iam").list_roles, "Roles") if not role["Path"].startswith("/aws-service-role/")],
        "topics": [topic["TopicArn"] for topic in pages(c("sns").list_topics, "Topics")],
        "alarms": [alarm["AlarmName"] for alarm in pages(c("cloudwatch").describe_alarms, "MetricAlarms")],
        "dashboards": [d["DashboardName"] for d in c("cloudwatch").list_dashboards().get("DashboardEntries", [])],
        "hostedZones": [zone["Name"] for zone in c("route53").list_hosted_zones()["HostedZones"]],
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
