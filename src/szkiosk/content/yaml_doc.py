"""YAML files with the line of every node: the ground the content loader stands on.

:class:`YamlDocument` parses one file safely (size, alias and depth limits) and turns pydantic
errors into :class:`ContentError` lines that name file, line and field.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from szkiosk.content.inputs import file_read, path_resolved

Loc = tuple[Any, ...]
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ContentError:
    """One problem an author can act on."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ContentFileError(Exception):
    """A file could not be read or parsed; carries its :class:`ContentError` list."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def _file_kind(mode: int) -> str | None:
    """What a non-regular file is, in an author's words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_content_file(path: Path, name: str | None = None) -> str:
    """The text of one content file, refusing anything that could stall or flood the reader.

    The file's type is checked with ``os.stat`` *before* it is opened: a FIFO, socket or
    device (which would block a reader until someone writes to it, or never end) is refused
    by type. It is then opened non-blocking and checked again on the open descriptor, so a
    FIFO swapped in between the two is refused too. A symlink loop, a missing file, a file
    over :data:`MAX_FILE_BYTES` and text that is not UTF-8 all become a
    :class:`ContentFileError` naming the file.
    """
    name = name or display_path(path)

    def refuse(message: str) -> ContentFileError:
        return ContentFileError([ContentError(name, None, "", message)])

    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise refuse("file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refuse("cannot read: a symlink loop (a link that points back to itself)") from None
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    kind = _file_kind(info.st_mode)
    if kind is not None:
        raise refuse(f"cannot read: {kind}, not a regular file; refused")
    if info.st_size > MAX_FILE_BYTES:
        raise refuse(f"file is {info.st_size:,} bytes; content files are limited to {MAX_FILE_BYTES:,} bytes")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise refuse("file not found") from None
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as fh:
        try:
            kind = _file_kind(os.fstat(fh.fileno()).st_mode)
            if kind is not None:  # swapped in after the first look
                raise refuse(f"cannot read: {kind}, not a regular file; refused")
            data = fh.read(MAX_FILE_BYTES + 1)
            file_read(path, fh.fileno(), data)
        except OSError as exc:
            raise refuse(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:  # grew after the first look
        raise refuse(f"file is over {MAX_FILE_BYTES:,} bytes; content files are limited to {MAX_FILE_BYTES:,} bytes")
    try:
        # universal newlines, as Path.read_text reads: line numbers count \r\n as one line
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()
    except UnicodeDecodeError as exc:
        raise refuse(f"cannot read: {exc}") from None


def display_path(path: Path) -> str:
    """A path as an author would type it: relative to the working folder when possible."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


class YamlDocument:
    """A parsed YAML file: its data (via ``safe_load``) and the line of every node."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = display_path(path)
        source = read_content_file(path, self.name)
        try:
            # libyaml when present: the pure-Python parser takes ~0.6 s on the bundled deck,
            # too slow for --watch (an edit should show within a second)
            # one parse: compose the node tree (for line numbers), then build the data from it
            # (what yaml.load does internally; parsing twice doubled load_deck's time)
            loader = SAFE_LOADER(source)
            try:
                node = loader.get_single_node()
                if node is not None:
                    _check_expansion(node, self.name)
                self.data: Any = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except RecursionError:
            raise ContentFileError([ContentError(self.name, None, "", "nested too deeply to read")]) from None
        except yaml.reader.ReaderError as exc:
            line = source.count("\n", 0, max(0, exc.position)) + 1
            code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
            msg = f"YAML syntax error: character #x{code:04x} is not allowed ({exc.reason})"
            raise ContentFileError([ContentError(self.name, line, "", msg)]) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc)
            context = getattr(exc, "context", None)
            msg = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
            if "mapping values are not allowed" in problem:
                msg += "; text that contains ': ' must be put in quotes"
            raise ContentFileError([ContentError(self.name, line, "", msg)]) from None
        self.lines: dict[Loc, int] = {}
        self.duplicates: list[ContentError] = []
        if node is not None:
            self._index(node, ())

    def _index(self, node: yaml.Node, loc: Loc) -> None:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, value_node in node.value:
                key = _scalar(key_node)
                if key in seen:
                    self.duplicates.append(
                        ContentError(
                            self.name, key_node.start_mark.line + 1, _dotted((*loc, key)),
                            "duplicate key (YAML keeps only the last one)",
                        )
                    )
                seen.add(key)
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
                self._index(value_node, (*loc, key))
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*loc, i))

    def line_of(self, loc: Loc) -> int | None:
        """Line of the deepest node on ``loc`` that exists in the file."""
        loc = tuple(part for part in loc if part != "root")
        while loc:
            for key in (loc, tuple(str(p) if isinstance(p, int) else p for p in loc)):
                if key in self.lines:
                    return self.lines[key]
            loc = loc[:-1]
        # an empty document has no nodes: point the author at its first line
        return self.lines.get((), 1)

    def error(self, loc: Loc, message: str) -> ContentError:
        """A :class:`ContentError` pointing at ``loc`` in this file."""
        return ContentError(self.name, self.line_of(loc), _dotted(loc), message)

    def validate(self, model: type[BaseModel], context: dict[str, Any]) -> tuple[Any, list[ContentError]]:
        """Validate the data against ``model``; return (instance or None, errors)."""
        errors = list(self.duplicates)
        if not isinstance(self.data, dict):
            errors.append(self.error((), "expected a mapping of keys at the top of the file"))
            return None, errors
        try:
            return model.model_validate(self.data, context=context), errors
        except ValidationError as exc:
            errors.extend(self._pydantic_errors(exc))
            return None, errors

    def validate_at(self, at: Loc, model: type[BaseModel], context: dict[str, Any]) -> tuple[Any, list[ContentError]]:
        """Validate the value at ``at`` (a key path) against ``model``; errors carry full paths."""
        value: Any = self.data
        for key in at:
            value = value[key]
        try:
            return model.model_validate(value, context=context), []
        except ValidationError as exc:
            return None, list(self._pydantic_errors(exc, at))

    def _pydantic_errors(self, exc: ValidationError, prefix: Loc = ()) -> Iterable[ContentError]:
        for err in exc.errors(include_url=False):
            loc = prefix + tuple(p for p in err["loc"] if p != "root")
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            if _cut_at_comma(err, loc):
                # {en: 1,000 charges, zh: ...} reads as keys 'en' and '000 charges'
                yield self.error(loc[:-1], f"text cut at a comma (before {loc[-1]!r}): put the whole text in "
                                 "quotes, e.g. {en: \"a, b\", zh: ...}")
                continue
            if err["type"] == "extra_forbidden":
                msg = "unknown key (misspelt, or not allowed here)"
            elif err["type"] == "missing":
                msg = "required field is missing"
            elif "input" in err and err["type"] not in ("value_error",):
                shown = repr(err["input"])
                if len(shown) > 60:
                    shown = shown[:57] + "..."
                msg = f"{msg}, got {shown}"
            yield self.error(loc, msg)


def _cut_at_comma(err: Any, loc: Loc) -> bool:
    """True for the error an unquoted comma inside a flow mapping of text causes."""
    last = loc[-1] if loc else None
    return (err["type"] == "string_type" and err.get("input") is None and isinstance(last, str)
            and not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z]{2,4})?", last))


#: A content file larger than this is refused (the whole bundled deck is ~60 kB).
MAX_FILE_BYTES = 1_000_000
#: Nodes a file may hold once its aliases are expanded (a "billion laughs" has ~10^9).
MAX_EXPANDED_NODES = 200_000


def _check_expansion(root: yaml.Node, name: str) -> None:
    """Refuse alias bombs and self-referencing anchors before anything walks the tree.

    PyYAML shares aliased nodes, so a small file can stand for billions of nodes; every
    walk over the data (line index, validation) would expand them.
    """
    count = 0
    expanded: dict[int, int] = {}

    def size(node: yaml.Node, ancestors: frozenset[int]) -> int:
        nonlocal count
        key = id(node)
        if key in ancestors:
            raise ContentFileError([ContentError(
                name, node.start_mark.line + 1, "", "an alias refers to itself (a recursive anchor)")])
        if key in expanded:
            total = expanded[key]
        else:
            total = 1
            children: list[yaml.Node] = []
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            inner = ancestors | {key}
            for child in children:
                total += size(child, inner)
                if total > MAX_EXPANDED_NODES:
                    break
            expanded[key] = total
        count = max(count, total)
        if total > MAX_EXPANDED_NODES:
            raise ContentFileError([ContentError(
                name, node.start_mark.line + 1, "",
                f"expands to more than {MAX_EXPANDED_NODES:,} values through aliases; "
                "write the content out instead of nesting anchors")])
        return total

    size(root, frozenset())


def _scalar(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":int") and node.value.isdigit():
            return int(node.value)  # the common case, without starting a YAML parser
        try:
            return yaml.safe_load(node.value) if node.tag.endswith((":int", ":float")) else node.value
        except yaml.YAMLError:
            return node.value
    return node.start_mark.line


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def resolve_inside(root: Path, relative: str) -> Path:
    """Resolve a content path against the deck folder; refuse paths that escape it."""
    if not relative or Path(relative).is_absolute():
        raise ValueError(f"path must be relative to the deck folder, got {relative!r}")
    try:
        resolved = (root / relative).resolve()
        inside = root.resolve()
    except (RuntimeError, OSError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise ValueError(f"path {relative!r} cannot be followed: {_loop_or(exc)}") from None
    if not resolved.is_relative_to(inside):
        path_resolved(root, relative, None)
        raise ValueError(f"path {relative!r} escapes the deck folder")
    path_resolved(root, relative, resolved)
    return resolved




def _loop_or(exc: BaseException) -> str:
    """A symlink loop in an author's words, or the error's own text."""
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP:
        return "a symlink loop (a link that points back to itself)"
    return str(getattr(exc, "strerror", None) or exc)
