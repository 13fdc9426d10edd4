"""YAML in and out the way manifests need it.

Reading: YAML 1.1 as Kubernetes tools read it, except that timestamps stay
strings (they have to survive a trip through JSON and KCL).
Writing: keys in the order produced, block style, sequences flush with
their key, no line wrapping, unicode kept, multi-line strings as `|` blocks.

Bounded: YAML text from a tenant (inputs.yaml, installation.yaml, a kubeconfig, a chart's
values.yaml, a Helm repository's index) is read by the server process itself, and a
loader builds an alias as a shared reference, so a few kilobytes of `*alias` repeated
expand to billions of values the moment anything walks them (JSON for the render, the
schema check), and `&a [*a]` is a value that holds itself. `check_bounds` refuses both
before anything walks the data, in time linear in the text; libyaml refuses nesting
deeper than 1000 levels, and `nesting_error` turns a pure-Python parser's RecursionError
into the same kind of message.
"""

from __future__ import annotations

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Loader(_Loader):
    pass


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


class Dumper(_Dumper):
    pass


def _str(dumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


Dumper.add_representer(str, _str)


# Values plus characters that one document may expand to: a 5 MB file without aliases
# stays well below it; JSON of this much takes well under a second.
MAX_EXPANDED = 16 * 1024 * 1024


class YAMLBoundsError(yaml.YAMLError):
    """Text the server refuses to expand; the message is a sentence for the person."""

    @property
    def problem(self) -> str:  # read as a MarkedYAMLError's is
        return str(self)


def load_all(text: str) -> list:
    documents = list(_parse(lambda: yaml.load_all(text, Loader=Loader)))
    check_bounds(documents)
    return documents


def load(text: str):
    data = _parse(lambda: yaml.load(text, Loader=Loader))
    check_bounds(data)
    return data


def _parse(parse):
    try:
        return parse()
    except RecursionError:
        raise nesting_error() from None
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's limit
            raise nesting_error() from None
        raise


def nesting_error() -> YAMLBoundsError:
    return YAMLBoundsError("it is nested too deeply (more than 1000 levels)")


_END = object()


def _children(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield value
    else:
        yield from node


def _weight(value) -> int:
    return 1 + len(value) if isinstance(value, str | bytes) else 1


def check_bounds(data, *, limit: int = MAX_EXPANDED) -> None:
    """Raise YAMLBoundsError if `data` holds itself or expands past `limit` values and
    characters. Each distinct list or mapping is walked once (sizes of shared ones are
    remembered), without recursion."""
    if not isinstance(data, dict | list):
        return
    sizes: dict[int, int] = {}
    open_ids = {id(data)}
    frames = [[data, _children(data), 1]]
    while frames:
        frame = frames[-1]
        child = next(frame[1], _END)
        if child is _END:
            frames.pop()
            open_ids.discard(id(frame[0]))
            sizes[id(frame[0])] = frame[2]
            if frames:
                frames[-1][2] += frame[2]
                if frames[-1][2] > limit:
                    break
            continue
        if isinstance(child, dict | list):
            known = sizes.get(id(child))
            if known is not None:
                frame[2] += known
            elif id(child) in open_ids:
                raise YAMLBoundsError(
                    "an alias refers to a value that holds it (a loop); write the values out"
                )
            else:
                open_ids.add(id(child))
                frames.append([child, _children(child), 1])
                continue
        else:
            frame[2] += _weight(child)
        if frame[2] > limit:
            break
    else:
        return
    raise YAMLBoundsError(
        f"aliases make it expand to more than {limit // (1024 * 1024)} MiB of values; "
        "write the values out instead of repeating an alias"
    )


def dump(data) -> str:
    return yaml.dump(
        data,
        Dumper=Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
    )
