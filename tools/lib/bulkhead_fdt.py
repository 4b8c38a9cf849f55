# SPDX-License-Identifier: Apache-2.0
"""Read flattened device trees, and turn an overlay into U-Boot `fdt` commands.

Used by tools/bulkhead-image (Python standard library only). Reading is
done here; every change to a DTB is made by fdtput/fdtoverlay.

Why the commands: Debian's U-Boot (qemu_arm64, 2023.01) is built without
CONFIG_OF_LIBFDT_OVERLAY, so it has no `fdt apply`. Its `fdt mknode`,
`fdt set` and `fdt get value` do the same work when the script is generated
from the compiled overlay: nodes and properties in the order libfdt's
overlay code adds them, and each phandle into the board looked up at boot.
The overlay is first put in the order that makes libfdt's insertions come
out as written (keep_source_order).
"""

import struct

FDT_MAGIC = 0xd00dfeed
BEGIN_NODE, END_NODE, PROP, NOP, END = 1, 2, 3, 4, 9
UBOOT_FDT_SET_MAX = 1024   # `fdt set` builds the value in a 1 KiB buffer


class FdtError(Exception):
    pass


class Node:
    def __init__(self, name, parent):
        self.name = name
        self.parent = parent
        self.props = {}        # name -> bytes, in blob order
        self.children = []

    def path(self):
        if self.parent is None:
            return "/"
        parent = self.parent.path()
        return (parent if parent != "/" else "") + "/" + self.name

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def child(self, name):
        for c in self.children:
            if c.name == name:
                return c
        return None

    def compatible(self, value):
        return value.encode() in self.props.get("compatible", b"").split(b"\0")

    def cells(self, prop):
        v = self.props.get(prop)
        if v is None or len(v) % 4:
            return None
        return list(struct.unpack(">%dI" % (len(v) // 4), v))

    def cells_u32(self, prop, default):
        c = self.cells(prop)
        return c[0] if c and len(c) == 1 else default

    def phandle(self):
        for p in ("phandle", "linux,phandle"):
            c = self.cells(p)
            if c and len(c) == 1:
                return c[0]
        return None

    def string(self, prop):
        v = self.props.get(prop)
        return v.rstrip(b"\0").decode(errors="replace") if v is not None else None


class Fdt:
    def __init__(self, blob):
        if len(blob) < 40 or struct.unpack_from(">I", blob)[0] != FDT_MAGIC:
            raise FdtError("not a flattened device tree (bad magic)")
        (_, total, off_struct, off_strings, _, version, _, _, size_strings,
         size_struct) = struct.unpack_from(">10I", blob)
        if total > len(blob) or version < 17:
            raise FdtError("truncated or too old (version %d) device tree" % version)
        strings = blob[off_strings:off_strings + size_strings]
        self.root = None
        node = None
        pos, end = off_struct, off_struct + size_struct
        while pos < end:
            tag, = struct.unpack_from(">I", blob, pos)
            pos += 4
            if tag == BEGIN_NODE:
                nul = blob.index(b"\0", pos)
                new = Node(blob[pos:nul].decode(), node)
                if node is None:
                    self.root = new
                else:
                    node.children.append(new)
                node = new
                pos = (nul + 4) & ~3
            elif tag == END_NODE:
                if node is None:
                    raise FdtError("unbalanced nodes in the structure block")
                node = node.parent
            elif tag == PROP:
                length, nameoff = struct.unpack_from(">II", blob, pos)
                pos += 8
                name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
                node.props[name] = bytes(blob[pos:pos + length])
                pos = (pos + length + 3) & ~3
            elif tag == NOP:
                continue
            elif tag == END:
                break
            else:
                raise FdtError("unknown structure tag %d at offset %d" % (tag, pos - 4))
        if self.root is None:
            raise FdtError("no root node")

    def node(self, path):
        n = self.root
        for part in [p for p in path.split("/") if p]:
            n = n.child(part)
            if n is None:
                return None
        return n

    def walk(self):
        return self.root.walk()

    def max_phandle(self):
        return max([n.phandle() or 0 for n in self.walk()])

    def fixup_labels(self):
        fixups = self.node("/__fixups__")
        return list(fixups.props) if fixups is not None else []

    def fixup_sites(self, label):
        """Where an overlay uses a label: 'node property 'p'' list for messages."""
        sites = self.node("/__fixups__").props[label].rstrip(b"\0").split(b"\0")
        out = []
        for s in sites:
            path, prop, _ = s.decode().rsplit(":", 2)
            out.append("%s property '%s'" % (path, prop))
        return ", ".join(out)

    def to_blob(self):
        """The tree as a DTB (version 17, no memory reservations)."""
        strings, offsets = bytearray(), {}
        body = bytearray()

        def pad(b):
            b.extend(b"\0" * (-len(b) % 4))

        def emit(node):
            body.extend(struct.pack(">I", BEGIN_NODE) + node.name.encode() + b"\0")
            pad(body)
            for name, data in node.props.items():
                if name not in offsets:
                    offsets[name] = len(strings)
                    strings.extend(name.encode() + b"\0")
                body.extend(struct.pack(">III", PROP, len(data), offsets[name]) + data)
                pad(body)
            for c in node.children:
                emit(c)
            body.extend(struct.pack(">I", END_NODE))

        emit(self.root)
        body.extend(struct.pack(">I", END))
        off_rsv = 40
        off_struct = off_rsv + 16
        off_strings = off_struct + len(body)
        total = off_strings + len(strings)
        header = struct.pack(">10I", FDT_MAGIC, total, off_struct, off_strings, off_rsv, 17, 16,
                             0, len(strings), len(body))
        return header + b"\0" * 16 + bytes(body) + bytes(strings)

    @staticmethod
    def join(cells):
        v = 0
        for c in cells:
            v = (v << 32) | c
        return v

    @staticmethod
    def split(value, ncells):
        if value >> (32 * ncells):
            raise FdtError("0x%x does not fit in %d cell(s)" % (value, ncells))
        return [(value >> (32 * i)) & 0xffffffff for i in reversed(range(ncells))]


def keep_source_order(overlay):
    """Reverse the siblings inside every __overlay__ node.

    libfdt (fdtoverlay, and U-Boot's fdt mknode) adds a new node before its
    existing siblings, which turns the overlay's order around; reversed
    first, the partitions come out in the order they were written (the
    order decides partition numbers and the first console focus)."""
    def flip(node):
        node.children.reverse()
        for c in node.children:
            flip(c)

    for frag in overlay.root.children:
        body = frag.child("__overlay__")
        if body is not None:
            flip(body)


def _fixup_map(overlay):
    """{(overlay node path, property): {byte offset: label}}"""
    out = {}
    for label in overlay.fixup_labels():
        for site in overlay.node("/__fixups__").props[label].rstrip(b"\0").split(b"\0"):
            path, prop, offset = site.decode().rsplit(":", 2)
            out.setdefault((path, prop), {})[int(offset)] = label
    return out


def resolve_label(label, board, labels):
    """The board node path an overlay label stands for, or None."""
    if label.startswith("/"):
        return label
    if labels and label in labels:
        return labels[label]
    symbols = board.node("/__symbols__") if board is not None else None
    if symbols is not None and label in symbols.props:
        return symbols.string(label)
    return None


def overlay_fragments(overlay, labels=None, board=None):
    """[(__overlay__ node, target path in the base)] of a compiled overlay."""
    fixups = _fixup_map(overlay)
    out = []
    for frag in overlay.root.children:
        body = frag.child("__overlay__")
        if body is None:
            continue
        target = frag.string("target-path")
        if target is None:
            label = fixups.get((frag.path(), "target"), {}).get(0)
            target = resolve_label(label, board, labels) if label else None
            if target is None:
                raise FdtError("%s: property 'target' refers to %s, which cannot be resolved"
                               % (frag.path(), "label '%s'" % label if label else
                                  "a node of the overlay itself"))
        out.append((body, target))
    return out


def _value(data, fixups, variables, where):
    """A property value as `fdt set` arguments."""
    if len(data) > UBOOT_FDT_SET_MAX:
        raise FdtError("%s: %d bytes; U-Boot's fdt set takes at most %d"
                       % (where, len(data), UBOOT_FDT_SET_MAX))
    if fixups:
        if len(data) % 4:
            raise FdtError("%s: a phandle in a value that is not whole cells" % where)
        cells = []
        for i in range(0, len(data), 4):
            if i in fixups:
                cells.append("${%s}" % variables[fixups[i]])
            else:
                cells.append("0x%x" % struct.unpack_from(">I", data, i))
        return ['"<%s>"' % " ".join(cells)]
    if not data:
        return []
    strings = data[:-1].split(b"\0") if data.endswith(b"\0") else None
    if strings and all(s and all(32 <= b < 127 for b in s) for s in strings):
        for s in strings:
            if any(ch in s for ch in b"\"\\$'"):
                raise FdtError("%s: a string with a quote, backslash or $ cannot be "
                               "passed to U-Boot's fdt set" % where)
        return ['"%s"' % s.decode() for s in strings]
    if len(data) % 4 == 0:
        return ['"<%s>"' % " ".join("0x%x" % c for c in
                                    struct.unpack(">%dI" % (len(data) // 4), data))]
    return ['"[%s]"' % " ".join("%02x" % b for b in data)]


def uboot_fdt_commands(overlay, board, labels, var_prefix):
    """U-Boot commands that apply `overlay` to the working fdt, which is a
    copy of `board` (the same DT the firmware has at boot)."""
    if overlay.node("/__local_fixups__") is not None:
        raise FdtError("the overlay refers to its own nodes by phandle (__local_fixups__); "
                       "U-Boot's fdt commands cannot renumber them: apply it offline")
    fixups = _fixup_map(overlay)
    commands, variables, given = [], {}, {}
    next_phandle = board.max_phandle() + 1
    for i, label in enumerate(overlay.fixup_labels()):
        path = resolve_label(label, board, labels)
        node = board.node(path) if path else None
        if node is None:
            raise FdtError("label '%s' (%s) is not a node of the board device tree"
                           % (label, overlay.fixup_sites(label)))
        var = variables[label] = "%s%d" % (var_prefix, i)
        if node.phandle() is not None or path in given:
            commands.append("fdt get value %s %s phandle" % (var, path))
        else:
            # The board node has no phandle yet: give it the one fdtoverlay
            # gives it offline (bulkhead-image numbers them the same way).
            commands.append("setenv %s 0x%x" % (var, next_phandle))
            commands.append("fdt set %s phandle \"<${%s}>\"" % (path, var))
            given[path] = next_phandle
            next_phandle += 1

    def emit(node, target):
        for prop, data in node.props.items():
            args = _value(data, fixups.get((node.path(), prop)), variables,
                          "%s property '%s'" % (node.path(), prop))
            commands.append(" ".join(["fdt set", target, '"%s"' % prop] + args))
        for child in node.children:
            path = target.rstrip("/") + "/" + child.name
            if board.node(path) is None:
                commands.append("fdt mknode %s %s" % (target, child.name))
            emit(child, path)

    for body, target in overlay_fragments(overlay, labels, board):
        if board.node(target) is None:
            raise FdtError("%s: target %s is not in the board device tree"
                           % (body.parent.path(), target))
        emit(body, target)
    return commands
