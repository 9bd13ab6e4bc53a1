"""Regenerates packages/core/src/aws-ec2-data/ec2-facts.json from the EC2 data moto ships.

Usage: python3 packages/core/scripts/generate-aws-ec2-facts.py [out.json]
(without an argument it prints the JSON; the test in packages/core compares it with the file).

Source: moto (Apache License 2.0), which ships AWS's own DescribeInstanceTypes output
(moto/ec2/resources/instance_types.json.gz) and DescribeAvailabilityZones zones per region
(moto/ec2/models/availability_zones_and_regions.py). Only the facts the configuration rules
read are kept; nothing is edited by hand.
"""

import gzip
import json
import os
import sys

import moto
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend


def instance_types():
    path = os.path.join(os.path.dirname(moto.__file__), "ec2", "resources", "instance_types.json.gz")
    with gzip.open(path) as source:
        described = json.load(source)
    facts = {}
    for name in sorted(described):
        t = described[name]
        network = t.get("NetworkInfo", {})
        facts[name] = [
            t["VCpuInfo"]["DefaultVCpus"],
            t["MemoryInfo"]["SizeInMiB"],
            "|".join(t["ProcessorInfo"]["SupportedArchitectures"]),
            t.get("Hypervisor", "none"),
            1 if t.get("BurstablePerformanceSupported") else 0,
            network.get("MaximumNetworkInterfaces", 0),
            network.get("Ipv4AddressesPerInterface", 0),
        ]
    return facts


def zones():
    return {region: [zone.name for zone in region_zones] for region, region_zones in sorted(RegionsAndZonesBackend.zones.items())}


def main():
    data = {
        "source": f"moto {moto.__version__}",
        "instanceTypeColumns": ["vcpus", "memoryMiB", "architectures", "hypervisor", "burstable", "maxNetworkInterfaces", "ipv4AddressesPerInterface"],
        "instanceTypes": instance_types(),
        "availabilityZones": zones(),
    }
    text = json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n"
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
