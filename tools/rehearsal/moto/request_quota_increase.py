"""Requests a Service Quotas increase in the emulator; prints the applied value afterwards.

Usage: python3 request_quota_increase.py <endpoint> <region> <service code> <quota code> <desired value>
What the operator of a fresh account does before the first deploy (docs/network.md): the
documented default of L-1216C47A, 5 vCPUs, holds no three-node cluster. Quotas are per Region
(Service Quotas User Guide): the request names the Region the check named.
"""

import sys

import boto3


def main(endpoint, region, service, code, desired):
    quotas = boto3.client("service-quotas", endpoint_url=endpoint, region_name=region, aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal")
    quotas.request_service_quota_increase(ServiceCode=service, QuotaCode=code, DesiredValue=float(desired))
    print(quotas.get_service_quota(ServiceCode=service, QuotaCode=code)["Quota"]["Value"])


if __name__ == "__main__":
    main(*sys.argv[1:6])
