"""YAML in and out the way manifests need it.

Reading: YAML 1.1 as Kubernetes tools read it, except that timestamps stay
strings (they have to survive a trip through JSON and KCL).
Writing: keys in the order produced, block style, sequences flush with
their key, no line wrapping, unicode kept, multi-line strings as `|` blocks.
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


def load_all(text: str) -> list:
    return list(yaml.load_all(text, Loader=Loader))


def load(text: str):
    return yaml.load(text, Loader=Loader)


def dump(data) -> str:
    return yaml.dump(
        data,
        Dumper=Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
    )
