"""Planning how to get from one language to another: directly, or through a pivot language.

Argos-style pivoting that throws the intermediate text away hides where meaning changed; here a
route is an explicit list of steps, and every step becomes a recorded `Hop`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mt_toolkit.errors import NoRouteError
from mt_toolkit.languages import normalize
from mt_toolkit.translate.registry import Registry


@dataclass(frozen=True)
class Step:
    """One hop to make: this model, from this language into that one."""

    src_lang: str
    tgt_lang: str
    model: str
    revision: str | None = None
    target_prefix: str | None = None


@dataclass(frozen=True)
class Route:
    """The steps from source to target language, in order."""

    steps: tuple[Step, ...]

    @property
    def languages(self) -> list[str]:
        return [self.steps[0].src_lang, *(s.tgt_lang for s in self.steps)]


def plan_route(
    src_lang: str,
    tgt_lang: str,
    *,
    models: Sequence[str] = (),
    revision: str | None = None,
    pivot: str | None = "en",
    force_pivot: bool = False,
    registry: Registry | None = None,
) -> Route:
    """Choose the models that take ``src_lang`` to ``tgt_lang``.

    Rules, in order: models given by the user (one: used for every hop; two: one per hop through
    ``pivot``); a direct registry model; two registry models through ``pivot``; the registry's
    multilingual fallback.

    Args:
        models: model ids or folders chosen by the user, in hop order.
        revision: the revision for user-given models (registry entries carry their own).
        pivot: the language to route through when no direct model exists (None: never pivot).
        force_pivot: route through ``pivot`` even if a direct model exists.

    Raises:
        NoRouteError: nothing in the registry serves the pair.
    """
    src, tgt = normalize(src_lang), normalize(tgt_lang)
    piv = normalize(pivot) if pivot else None
    if src == tgt:
        raise NoRouteError(f"source and target language are both {src}; nothing to translate")
    if force_pivot and (piv is None or piv in (src, tgt)):
        raise NoRouteError(f"pivot {pivot!r} must differ from the source ({src}) and target ({tgt})")
    registry = registry if registry is not None else Registry.load()

    def step(a: str, b: str, model: str, rev: str | None) -> Step:
        spec = registry.find(model)
        prefix = spec.target_prefix.get(b) if spec else None
        return Step(a, b, model, rev if rev else (spec.revision if spec else None), prefix)

    models = list(models)
    if len(models) > 2:
        raise NoRouteError("give at most two models: one per hop of a pivot route")
    if models:
        if len(models) == 2 or force_pivot:
            if piv is None or piv in (src, tgt):
                raise NoRouteError("two models need a pivot language different from source and target (--pivot)")
            return Route((step(src, piv, models[0], revision), step(piv, tgt, models[-1], revision)))
        return Route((step(src, tgt, models[0], revision),))

    direct = registry.direct(src, tgt)
    if direct and not force_pivot:
        return Route((Step(src, tgt, direct.id, direct.revision, direct.target_prefix.get(tgt)),))
    if piv and piv not in (src, tgt):
        first, second = registry.direct(src, piv), registry.direct(piv, tgt)
        if first and second:
            return Route((
                Step(src, piv, first.id, first.revision, first.target_prefix.get(piv)),
                Step(piv, tgt, second.id, second.revision, second.target_prefix.get(tgt)),
            ))
    if registry.fallback and not force_pivot:
        fb = registry.fallback
        return Route((Step(src, tgt, fb.id, fb.revision),))
    raise NoRouteError(
        f"no model serves {src}→{tgt}" + (f" directly or through {piv}" if piv else "")
        + "; add one to your config (mt-toolkit models list shows the registry) or pass --model"
    )
