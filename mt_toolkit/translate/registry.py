"""Which model serves which language pair: the packaged registry plus the user's own entries.

The packaged table is `models/registry.toml` (shipped inside the package as
`mt_toolkit/data/registry.toml`). A user adds models or local folders in their own config file
with the same shape — `$MT_TOOLKIT_CONFIG`, else `$XDG_CONFIG_HOME/mt-toolkit/config.toml` —
without editing the package; their entries win over the packaged ones.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from mt_toolkit.errors import ConfigError
from mt_toolkit.languages import normalize, split_pair
from mt_toolkit.paths import user_config_file


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry: a model and the pairs it serves."""

    id: str  # Hugging Face id or local folder
    pairs: tuple[tuple[str, str], ...] = ()
    family: str | None = None  # "marian" | "m2m100" | "nllb"; detected from the model when absent
    revision: str | None = None
    license: str | None = None
    target_prefix: dict[str, str] = field(default_factory=dict)  # canonical tgt -> ">>cmn_Hans<<"
    origin: str = "registry"  # "registry" | "user"


@dataclass(frozen=True)
class Registry:
    """Direct models by pair, and the multilingual fallback."""

    models: tuple[ModelSpec, ...]
    fallback: ModelSpec | None

    def direct(self, src: str, tgt: str) -> ModelSpec | None:
        """The model for ``src``→``tgt``, user entries first; None if there is none."""
        pair = (normalize(src), normalize(tgt))
        for spec in self.models:
            if pair in spec.pairs:
                return spec
        return None

    def find(self, model_id: str) -> ModelSpec | None:
        """The entry for a model id, if the registry knows it (for its revision and prefixes)."""
        for spec in (*self.models, *( [self.fallback] if self.fallback else [] )):
            if spec.id == model_id:
                return spec
        return None

    @classmethod
    def load(cls, *, user_config: str | os.PathLike[str] | None = None) -> "Registry":
        """Read the packaged registry and the user's config (path given, or from the environment).

        Raises:
            ConfigError: a file that is not valid TOML or has malformed entries (unknown keys,
                wrong types), or a config file named explicitly (argument or
                ``$MT_TOOLKIT_CONFIG``) that does not exist.
        """
        packaged = resources.files("mt_toolkit").joinpath("data/registry.toml").read_text("utf-8")
        base_models, base_fallback = _parse(packaged, origin="registry", name="packaged registry")
        path = Path(user_config).expanduser() if user_config else default_user_config()
        if (user_config or os.environ.get("MT_TOOLKIT_CONFIG")) and not path.is_file():
            via = "" if user_config else " ($MT_TOOLKIT_CONFIG)"
            what = "is not a file" if path.exists() else "does not exist"
            raise ConfigError(f"config file {path}{via} {what}")
        user_models: list[ModelSpec] = []
        user_fallback = None
        if path.is_file():
            try:
                text = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise ConfigError(f"cannot read config file {path}: {err}") from None
            user_models, user_fallback = _parse(text, origin="user", name=str(path))
        return cls(models=tuple(user_models + base_models), fallback=user_fallback or base_fallback)


def user_config_path() -> Path | None:
    """The user config file that `Registry.load` reads, or None when there is none to read."""
    path = default_user_config()
    return path if path.is_file() else None


def default_user_config() -> Path:
    """Where the user's model config lives (`mt_toolkit.paths.user_config_file`, read each call)."""
    return user_config_file()


_TOP_KEYS = {"model": "[[model]] entries", "fallback": "a [fallback] table"}
_ENTRY_TYPES: dict[str, tuple[type, str]] = {
    "id": (str, "a string (a Hugging Face id or a folder)"),
    "pairs": (list, "a list of 'src-tgt' strings, e.g. [\"id-en\"]"),
    "family": (str, "one of 'marian', 'm2m100', 'nllb'"),
    "revision": (str, "a string (a branch, tag or commit)"),
    "license": (str, "a string"),
    "target_prefix": (dict, "a table of language = \">>code<<\""),
}
FAMILIES = ("marian", "m2m100", "nllb")


def _parse(text: str, *, origin: str, name: str) -> tuple[list[ModelSpec], ModelSpec | None]:
    """Read one registry or config file, refusing anything it does not understand.

    A typo (``[[modle]]``, ``pair = ...``) or a wrong type (``id = 5``, ``pairs = "id-en"``) would
    otherwise be ignored or misread silently, so each is an error naming the file and the entry.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{name} is not valid TOML: {err}") from None
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(f"{name}: unknown key {key!r}; a config has {' and '.join(_TOP_KEYS.values())}")
    entries = data.get("model", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"{name}: 'model' should be [[model]] tables")
    models = [_spec(entry, origin=origin, name=name, where=f"[[model]] #{k + 1}") for k, entry in enumerate(entries)]
    fallback = None
    if "fallback" in data:
        if not isinstance(data["fallback"], dict):
            raise ConfigError(f"{name}: 'fallback' should be a [fallback] table")
        fallback = _spec(data["fallback"], origin=origin, name=name, where="[fallback]")
    return models, fallback


def _spec(entry: dict, *, origin: str, name: str, where: str) -> ModelSpec:
    from mt_toolkit.errors import MtToolkitError

    if isinstance(entry.get("id"), str):
        where = f"{where} ({entry['id']})"
    for key, value in entry.items():
        if key not in _ENTRY_TYPES:
            raise ConfigError(f"{name}: {where}: unknown key {key!r}; known keys: {', '.join(_ENTRY_TYPES)}")
        kind, described = _ENTRY_TYPES[key]
        if not isinstance(value, kind):
            raise ConfigError(f"{name}: {where}: {key} = {value!r} should be {described}")
    if "id" not in entry:
        raise ConfigError(f"{name}: {where}: every model entry needs an 'id' (a Hugging Face id or a folder)")
    if entry.get("family") is not None and entry["family"] not in FAMILIES:
        raise ConfigError(f"{name}: {where}: family {entry['family']!r} should be one of {', '.join(FAMILIES)}")
    pairs = []
    try:
        for pair in entry.get("pairs", []):
            if not isinstance(pair, str) or "-" not in pair.strip("-"):
                raise ConfigError(f"{name}: {where}: pair {pair!r} should look like 'id-en'")
            pairs.append(split_pair(pair))
        prefixes = {}
        for lang, prefix in entry.get("target_prefix", {}).items():
            if not isinstance(prefix, str):
                raise ConfigError(f"{name}: {where}: target_prefix {lang} = {prefix!r} should be a string like '>>ind<<'")
            prefixes[normalize(lang)] = prefix
    except ConfigError:
        raise
    except MtToolkitError as err:  # an unknown language code, said with the file and entry
        raise ConfigError(f"{name}: {where}: {err}") from None
    model_id = entry["id"]
    if origin == "user" and model_id.startswith(("~", ".", "/")):
        model_id = str(Path(model_id).expanduser())
    return ModelSpec(
        id=model_id,
        pairs=tuple(pairs),
        family=entry.get("family"),
        revision=entry.get("revision"),
        license=entry.get("license"),
        target_prefix=prefixes,
        origin=origin,
    )
