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
from mt_toolkit.languages import normalize
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
            ConfigError: a file that is not valid TOML or has malformed entries.
        """
        packaged = resources.files("mt_toolkit").joinpath("data/registry.toml").read_text("utf-8")
        base_models, base_fallback = _parse(packaged, origin="registry", name="packaged registry")
        path = Path(user_config) if user_config else default_user_config()
        user_models: list[ModelSpec] = []
        user_fallback = None
        if path.is_file():
            user_models, user_fallback = _parse(path.read_text("utf-8"), origin="user", name=str(path))
        return cls(models=tuple(user_models + base_models), fallback=user_fallback or base_fallback)


def default_user_config() -> Path:
    """Where the user's model config lives (`mt_toolkit.paths.user_config_file`, read each call)."""
    return user_config_file()


def _parse(text: str, *, origin: str, name: str) -> tuple[list[ModelSpec], ModelSpec | None]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{name} is not valid TOML: {err}") from None
    models = [_spec(entry, origin=origin, name=name) for entry in data.get("model", [])]
    fallback = _spec(data["fallback"], origin=origin, name=name) if "fallback" in data else None
    return models, fallback


def _spec(entry: dict, *, origin: str, name: str) -> ModelSpec:
    if "id" not in entry:
        raise ConfigError(f"{name}: every model entry needs an 'id' (a Hugging Face id or a folder)")
    pairs = []
    for pair in entry.get("pairs", []):
        src, sep, tgt = str(pair).partition("-")
        if not sep:
            raise ConfigError(f"{name}: pair {pair!r} of {entry['id']} should look like 'id-en'")
        pairs.append((normalize(src), normalize(tgt)))
    model_id = str(entry["id"])
    if origin == "user" and model_id.startswith(("~", ".", "/")):
        model_id = str(Path(model_id).expanduser())
    return ModelSpec(
        id=model_id,
        pairs=tuple(pairs),
        family=entry.get("family"),
        revision=entry.get("revision"),
        license=entry.get("license"),
        target_prefix={normalize(k): v for k, v in entry.get("target_prefix", {}).items()},
        origin=origin,
    )
