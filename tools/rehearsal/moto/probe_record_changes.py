"""Two DELETE change batches for records of one Route 53 zone at once, in moto's own process, and
which records stay: with the launcher's fix (`one_record_change_batch_at_a_time`) none, with plain
moto (`--without-fixes`) the record the second batch deleted comes back.

Usage: python3 probe_record_changes.py [--without-fixes]
Prints JSON: {"left": [<record names still in the zone>], "bothAnswered": true}.
The interleaving is forced, not left to chance: the first batch stops while it rebuilds the zone's
record list (the first pass over it) until the second batch has ended, or for one second when the
second batch cannot run meanwhile (the fix makes it wait for the first).
"""

import json
import sys
import threading

sys.dont_write_bytecode = True  # importing the launcher leaves no __pycache__ in the checkout
import launcher  # noqa: E402
from moto.route53.models import route53_backends  # noqa: E402


class PausingRecords(list):
    """The zone's record list: the first pass over it waits for `second_done` (one second at most)."""

    def __init__(self, records, first_started, second_done):
        super().__init__(records)
        self.first_started, self.second_done, self.paused = first_started, second_done, False

    def __iter__(self):
        if not self.paused:
            self.paused = True
            self.first_started.set()
            self.second_done.wait(timeout=1)
        return super().__iter__()


def main():
    if "--without-fixes" not in sys.argv:
        launcher.one_record_change_batch_at_a_time()
    backend = route53_backends["123456789012"]["aws"]
    zone = backend.create_hosted_zone(name="probe.internal.", private_zone=True, caller_reference="probe")
    record = lambda name: {"Name": f"{name}.probe.internal", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.1"}]}
    backend.change_resource_record_sets(zone.id, [{"Action": "CREATE", "ResourceRecordSet": record(name)} for name in ("node-1", "node-2")])
    first_started, second_done = threading.Event(), threading.Event()
    zone.rrsets = PausingRecords(zone.rrsets, first_started, second_done)
    answered = []

    def delete(name, done=None):
        backend.change_resource_record_sets(zone.id, [{"Action": "DELETE", "ResourceRecordSet": record(name)}])
        answered.append(name)
        if done:
            done.set()

    first = threading.Thread(target=delete, args=("node-1",))
    first.start()
    first_started.wait(timeout=5)
    second = threading.Thread(target=delete, args=("node-2", second_done))
    second.start()
    first.join()
    second.join()
    left = sorted(r.name for r in zone.rrsets if r.type == "A")
    print(json.dumps({"left": left, "bothAnswered": sorted(answered) == ["node-1", "node-2"]}))


if __name__ == "__main__":
    main()
