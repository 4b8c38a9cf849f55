# SPDX-License-Identifier: Apache-2.0
"""Source lines as Bulkhead counts them: lines of C or assembly that are
neither blank nor only comment (// lines and /* */ blocks)."""


def file_sloc(path):
    count = 0
    in_comment = False
    with open(path) as f:
        for line in f:
            code = line.strip()
            if in_comment:
                if "*/" not in code:
                    continue
                code = code.split("*/", 1)[1].strip()
                in_comment = False
            if code.startswith("/*"):
                if "*/" not in code:
                    in_comment = True
                    continue
                code = code.split("*/", 1)[1].strip()
            if code and not code.startswith("//"):
                count += 1
    return count
