"""Deletes every object version and delete marker of a bucket in the emulator; prints how many.

Usage: python3 empty_bucket.py <endpoint> <bucket>
What an operator does by hand before destroying a state bucket (forceDestroy is off on purpose).
"""

import sys

import boto3
from botocore.config import Config


def main(endpoint, bucket):
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal", config=Config(s3={"addressing_style": "path"}))
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        versions = [{"Key": v["Key"], "VersionId": v["VersionId"]} for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        if versions:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": versions, "Quiet": True})
            deleted += len(versions)
    print(deleted)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
