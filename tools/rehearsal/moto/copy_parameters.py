"""Copies SSM parameters in the emulator to new names, keeping type and value.

Usage: python3 copy_parameters.py <endpoint> <region> <from> <to> [<from> <to> ...]
A changed configuration that renames what a stack publishes (a new namePrefix) is planned as it
would be once that stack is applied: its downstream stacks read the parameters under the new
names (docs/rehearsal.md, Changed configurations).
"""

import sys

import boto3


def main(endpoint, region, pairs):
    ssm = boto3.client("ssm", endpoint_url=endpoint, region_name=region, aws_access_key_id="rehearsal", aws_secret_access_key="rehearsal")
    for source, target in pairs:
        parameter = ssm.get_parameter(Name=source)["Parameter"]
        ssm.put_parameter(Name=target, Type=parameter["Type"], Value=parameter["Value"], Overwrite=True)
    print(len(pairs))


if __name__ == "__main__":
    args = sys.argv[3:]
    main(sys.argv[1], sys.argv[2], list(zip(args[0::2], args[1::2])))
