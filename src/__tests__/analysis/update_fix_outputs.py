"""Writes the fix outputs a rule test received into its test file, for a change of a fix's output.

    KERAS_MIGRATE_RECORD_FIX_OUTPUTS=/tmp/fix-outputs.jsonl jlpm jest -w 1 <rule test>
    python src/__tests__/analysis/update_fix_outputs.py /tmp/fix-outputs.jsonl src/__tests__/analysis/rules/<rule>.test.ts
    git diff   # read every change: each must be intended

The rule tester records {name, expected, received} for every invalid case whose single-cell fix
output differs from its `output:` string. Each case's `output:` line (the first after its `name:`)
holds one string literal, perhaps after a shared prefix (`HEAD + "..."`): the literal is replaced by
the received text past that prefix. Cases written otherwise are listed and left alone.
"""

import json
import re
import sys

LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')


def main(records_path: str, test_path: str) -> int:
    records = [json.loads(line) for line in open(records_path, encoding="utf-8") if line.strip()]
    lines = open(test_path, encoding="utf-8").read().split("\n")
    left = []
    for record in records:
        name_line = f"name: {json.dumps(record['name'])[1:-1]}"
        starts = [i for i, line in enumerate(lines) if f"name: '{record['name']}'" in line or name_line in line]
        output = next((j for j in range(starts[0], min(starts[0] + 30, len(lines))) if lines[j].lstrip().startswith("output:")), None) if len(starts) == 1 else None
        literals = list(LITERAL.finditer(lines[output])) if output is not None else []
        if len(literals) != 1 or not record["expected"].endswith(json.loads(literals[0].group(0))):
            left.append(record["name"])
            continue
        prefix = record["expected"][: len(record["expected"]) - len(json.loads(literals[0].group(0)))]
        if not record["received"].startswith(prefix):
            left.append(record["name"])
            continue
        new = json.dumps(record["received"][len(prefix):], ensure_ascii=False)
        m = literals[0]
        lines[output] = lines[output][: m.start()] + new + lines[output][m.end():]
    open(test_path, "w", encoding="utf-8").write("\n".join(lines))
    print(f"updated {len(records) - len(left)} of {len(records)} outputs")
    for name in left:
        print(f"left alone (update by hand): {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
