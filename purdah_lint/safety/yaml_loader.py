"""YAML from users, read with bounded cost: no aliases, no custom tags, no complex keys, limited depth.

Every YAML the tool reads from users (front matter, waiver files, rule packs, labels) goes
through here. An alias lets a few hundred bytes stand for gigabytes once expanded, so aliases
are refused outright; nesting deeper than :data:`MAX_DEPTH` is refused before Python's own
recursion limit is near; a value that looks like a date or number but is not a valid one
(``2024-02-30``, an offset of ``+99:00``, an integer of 5,000 digits) stays the text it is, so
the caller reports it as a bad value of its key. Failures are :class:`yaml.YAMLError` with a mark.
"""

from __future__ import annotations

from typing import IO, Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent

MAX_DEPTH = 64
ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp",
                                                                  "seq", "map"))


class _Composer:
    """Composition with the checks; mixed into the loader before PyYAML's own composer."""

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise ComposerError(None, None, f"YAML aliases (*{event.anchor}) are not allowed here; "
                                            "write the value out in full", event.start_mark)
        nested = self.check_event(MappingStartEvent, SequenceStartEvent)
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"values are nested more than {MAX_DEPTH} levels deep",
                                    self.peek_event().start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            if nested:
                self._depth -= 1
        if node.tag not in ALLOWED_TAGS:
            raise ComposerError(None, None, f"the YAML tag {node.tag!r} is not allowed here; write plain values",
                                node.start_mark)
        return node

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise ComposerError(None, None, "a mapping key must be a plain value, not a list or mapping "
                                                "(complex keys are not allowed)", key.start_mark)
        return node


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe construction where an impossible date or number stays text instead of raising."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except ConstructorError:
            raise
        except (ValueError, OverflowError, TypeError) as exc:
            if isinstance(node, yaml.ScalarNode):
                return node.value
            raise ConstructorError(None, None, f"value cannot be read: {exc}", node.start_mark) from None


_Constructor.yaml_constructors = dict(yaml.constructor.SafeConstructor.yaml_constructors)


def _scalar_or_text(method):
    def construct(self, node):
        try:
            return method(self, node)
        except (ValueError, OverflowError):
            return node.value
    return construct


for _tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
    _Constructor.add_constructor(_tag, _scalar_or_text(_Constructor.yaml_constructors[_tag]))


class PythonLoader(_Composer, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
                 _Constructor, yaml.resolver.Resolver):
    """PyYAML's safe loader with the limits above, all in Python (for a PyYAML built without libyaml)."""

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


SafeLoader: type = PythonLoader
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class LibyamlLoader(_Composer, CParser, yaml.composer.Composer, _Constructor, yaml.resolver.Resolver):
        """The same loader with libyaml's scanner and parser (about three times faster on front matter).

        libyaml only produces events: composing them into nodes stays in Python, with the checks above.
        """

        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            _Constructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        # CParser composes in C, where the checks above would not run: compose with PyYAML's Composer.
        get_single_node = yaml.composer.Composer.get_single_node
        get_single_data = yaml.constructor.BaseConstructor.get_single_data

    SafeLoader = LibyamlLoader


def load(text: str | bytes | IO) -> Any:
    """Parse one YAML document into plain values."""
    return _parsed(text, "get_single_data")


def compose(text: str | bytes | IO) -> yaml.Node | None:
    """Parse one YAML document into nodes (with positions) without constructing values."""
    return _parsed(text, "get_single_node")


def _parsed(text: str | bytes | IO, method: str) -> Any:
    if hasattr(text, "read"):
        text = text.read()  # an open file can be read only once, and a refused document is read twice
    try:
        return _with(SafeLoader, text, method)
    except yaml.YAMLError:
        if SafeLoader is PythonLoader:
            raise
    # A document libyaml refuses is read again in Python, so errors name the same problem and place as ever.
    return _with(PythonLoader, text, method)


def _with(loader_class: type, text: str | bytes, method: str) -> Any:
    loader = loader_class(text)
    try:
        return _guarded(getattr(loader, method))
    finally:
        loader.dispose()


def construct(node: yaml.Node) -> Any:
    """Plain values of a node from :func:`compose`."""
    return _guarded(lambda: _Constructor().construct_document(node))


def _guarded(parse):
    try:
        return parse()
    except RecursionError:
        raise ComposerError(None, None, "values are nested too deeply", None) from None
