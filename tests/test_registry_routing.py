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


def test_user_config_pairs_may_name_scripts_and_regions(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[[model]]\nid = "my/zh-hant-en"\npairs = ["zh-Hant-en", "en-zh-TW"]\n')
    monkeypatch.setenv("MT_TOOLKIT_CONFIG", str(config))
    registry = Registry.load()
    assert registry.direct("zh-Hant", "en").id == "my/zh-hant-en"
    assert registry.direct("en", "zh-Hant").id == "my/zh-hant-en"


def test_malformed_user_config_is_a_config_error(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[[model]]\npairs = ["id-en"]\n')
    monkeypatch.setenv("MT_TOOLKIT_CONFIG", str(config))
    with pytest.raises(ConfigError, match="needs an 'id'"):
        Registry.load()


def test_config_named_in_the_environment_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("MT_TOOLKIT_CONFIG", str(tmp_path / "typo.toml"))
    with pytest.raises(ConfigError, match=r"typo.toml \(\$MT_TOOLKIT_CONFIG\) does not exist"):
        Registry.load()
    with pytest.raises(ConfigError, match="does not exist"):
        Registry.load(user_config=tmp_path / "other.toml")


def test_no_config_anywhere_is_fine(tmp_path, monkeypatch):
    monkeypatch.delenv("MT_TOOLKIT_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty"))
    from mt_toolkit.translate.registry import user_config_path

    assert Registry.load().direct("id", "en") is not None and user_config_path() is None


@pytest.mark.parametrize(
    "toml, message",
    [
        ('[[modle]]\nid = "x"\npairs = ["id-en"]\n', "unknown key 'modle'"),
        ('[[model]]\nid = "x"\npair = ["id-en"]\n', r"\[\[model\]\] #1 \(x\): unknown key 'pair'"),
        ('[fallback]\nid = 5\n', r"\[fallback\]: id = 5 should be a string"),
        ('[[model]]\nid = "a"\npairs = ["id-en"]\n[[model]]\nid = "b"\npairs = "id-en"\n', r"#2 \(b\): pairs = 'id-en' should be a list"),
        ('[[model]]\nid = "x"\npairs = ["iden"]\n', "pair 'iden' should look like 'id-en'"),
        ('[[model]]\nid = "x"\npairs = [5]\n', "pair 5 should look like"),
        ('[[model]]\nid = "x"\npairs = ["xx-en"]\n', r"#1 \(x\): .*xx"),
        ('[[model]]\nid = "x"\nfamily = "gpt"\n', "family 'gpt' should be one of"),
        ('[[model]]\nid = "x"\ntarget_prefix = { zh = 1 }\n', "target_prefix zh = 1 should be a string"),
        ("model = 3\n", "should be \\[\\[model\\]\\] tables"),
        ("fallback = 3\n", "should be a \\[fallback\\] table"),
    ],
)
def test_unknown_keys_and_wrong_types_name_the_file_and_entry(tmp_path, monkeypatch, toml, message):
    config = tmp_path / "config.toml"
    config.write_text(toml)
    monkeypatch.setenv("MT_TOOLKIT_CONFIG", str(config))
    with pytest.raises(ConfigError, match=message) as err:
        Registry.load()
    assert str(config) in str(err.value)


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
