import pytest

from mt_toolkit.errors import ConfigError, NoRouteError
from mt_toolkit.translate.registry import Registry
from mt_toolkit.translate.routing import plan_route


def models(route):
    return [(s.src_lang, s.tgt_lang, s.model) for s in route.steps]


def test_direct_pairs_from_the_packaged_registry():
    assert models(plan_route("ind_Latn", "English")) == [("id", "en", "Helsinki-NLP/opus-mt-id-en")]
    assert models(plan_route("zh", "en")) == [("zh", "en", "Helsinki-NLP/opus-mt-zh-en")]


def test_pairs_without_a_direct_model_go_through_english():
    assert models(plan_route("zh", "id")) == [
        ("zh", "en", "Helsinki-NLP/opus-mt-zh-en"),
        ("en", "id", "Helsinki-NLP/opus-mt-en-id"),
    ]
    assert [s.target_prefix for s in plan_route("id", "zh").steps] == [None, ">>cmn_Hans<<"]


def test_pairs_without_a_pivot_route_use_the_multilingual_fallback():
    assert models(plan_route("kk", "id")) == [("kk", "id", "facebook/nllb-200-distilled-600M")]
    assert "NON-COMMERCIAL" in open(__import__("mt_toolkit").__path__[0] + "/data/registry.toml").read()


def test_user_config_entries_win(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[[model]]\nid = "~/models/my-id-en"\npairs = ["ind-eng"]\nrevision = "abc123"\n')
    monkeypatch.setenv("MT_TOOLKIT_CONFIG", str(config))
    step = plan_route("id", "en").steps[0]
    assert step.model.endswith("/models/my-id-en") and not step.model.startswith("~")
    assert step.revision == "abc123"


def test_malformed_user_config_is_a_config_error(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[[model]]\npairs = ["id-en"]\n')
    monkeypatch.setenv("MT_TOOLKIT_CONFIG", str(config))
    with pytest.raises(ConfigError, match="needs an 'id'"):
        Registry.load()


def test_user_models_forced_through_a_pivot():
    route = plan_route("id", "ru", models=["a"], pivot="en", force_pivot=True)
    assert models(route) == [("id", "en", "a"), ("en", "ru", "a")]
    assert models(plan_route("zh", "id", models=["a", "b"])) == [("zh", "en", "a"), ("en", "id", "b")]


def test_impossible_routes_are_clear():
    with pytest.raises(NoRouteError, match="both en"):
        plan_route("en", "eng")
    with pytest.raises(NoRouteError, match="pivot"):
        plan_route("id", "en", models=["a"], pivot="en", force_pivot=True)
    empty = Registry(models=(), fallback=None)
    with pytest.raises(NoRouteError, match="no model serves id→ru"):
        plan_route("id", "ru", registry=empty)
