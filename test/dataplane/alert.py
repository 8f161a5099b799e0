"""One real alert for the data-plane tier (test/dataplane), with lsst-alert-packet's own schema and sample alert.

  alert.py encode <file>          the latest schema's sample alert, serialized with that schema in the Confluent
                                  wire format (byte 0, the 4-byte big-endian schema id, the Avro body) into <file>
  alert.py decode <file> <sent>   decodes <file> as a consumer would (the schema chosen by the id in the message)
                                  and compares it field for field with what <sent> was made from

Both print one JSON object.
"""
import json
import math
import struct
import sys

import lsst.alert.packet as packet


def sample():
    """The latest schema, its id, and the sample alert that ships with it."""
    schema = packet.Schema.from_file()
    major, minor = packet.get_latest_schema_version()
    with open(f"{packet.get_schema_path(major, minor)}/sample_data/alert.json") as f:
        alert = json.load(f)
    return schema, schema.get_schema_id(), alert


def differences(sent, received, path="alert", common_only=False):
    """Every field where the two differ; floats compared at float32 precision (Avro `float`). With common_only,
    fields that only one side has are left out (the sample JSON has a few the schema does not, and the schema
    fills the optional fields the sample leaves out with their defaults)."""
    if isinstance(sent, dict) and isinstance(received, dict):
        found = [] if common_only else [f"{path}.{k}: missing" for k in sent if k not in received]
        found += [] if common_only else [f"{path}.{k}: unexpected" for k in received if k not in sent]
        for k in sent:
            if k in received:
                found += differences(sent[k], received[k], f"{path}.{k}", common_only)
        return found
    if isinstance(sent, list) and isinstance(received, list):
        if len(sent) != len(received):
            return [f"{path}: {len(sent)} items sent, {len(received)} received"]
        return [d for i, (a, b) in enumerate(zip(sent, received)) for d in differences(a, b, f"{path}[{i}]", common_only)]
    if isinstance(sent, float) or isinstance(received, float):
        ok = isinstance(received, (int, float)) and (
            (math.isnan(sent) and math.isnan(received)) or math.isclose(sent, received, rel_tol=1e-6, abs_tol=0))
        return [] if ok else [f"{path}: sent {sent!r}, received {received!r}"]
    return [] if sent == received else [f"{path}: sent {sent!r}, received {received!r}"]


def count_fields(value):
    if isinstance(value, dict):
        return sum(1 + count_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_fields(v) for v in value)
    return 0


def main(argv):
    schema, schema_id, alert = sample()
    if argv[1] == "encode":
        body = schema.serialize(alert)
        with open(argv[2], "wb") as f:
            f.write(b"\x00" + struct.pack(">I", schema_id) + body)
        print(json.dumps({"schemaId": schema_id, "schema": schema.definition["name"], "alertId": alert["diaSourceId"],
                          "bytes": 5 + len(body)}))
    elif argv[1] == "decode":
        with open(argv[2], "rb") as f:
            message = f.read()
        magic, received_id = message[0], struct.unpack(">I", message[1:5])[0]
        registry = packet.SchemaRegistry.all_schemas_from_filesystem()
        decoded = registry.get_by_id(received_id).deserialize(message[5:])
        # What the producer sent is the sample as its schema writes it; every field of that must come back, and
        # every value the sample itself gives must be the one received.
        expected = schema.deserialize(schema.serialize(alert))
        found = differences(expected, decoded) + differences(alert, decoded, common_only=True)
        print(json.dumps({"magic": magic, "schemaId": received_id, "alertId": decoded.get("diaSourceId"),
                          "fields": count_fields(expected), "differences": found}))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
