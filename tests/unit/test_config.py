import pytest

from wish import create_app
from wish.config import ConfigError, load_settings, settings_table


def test_defaults_need_no_environment():
    settings = load_settings({})
    assert settings.database_url == ""
    assert settings.show_examples is True
    assert settings.tile_url.startswith("https://tile.openstreetmap.org/")


def test_values_are_parsed_from_strings():
    settings = load_settings({"WISH_SHOW_EXAMPLES": "false", "WISH_DEFAULT_RADIUS_KM": "10"})
    assert settings.show_examples is False
    assert settings.default_radius_km == 10.0


def test_unknown_setting_stops_start_up_with_its_name():
    with pytest.raises(ConfigError, match="WISH_SHOW_EXAMPELS"):
        load_settings({"WISH_SHOW_EXAMPELS": "false"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WISH_SHOW_EXAMPLES", "perhaps"),
        ("WISH_DEFAULT_RADIUS_KM", "far"),
        ("WISH_DEFAULT_RADIUS_KM", "900"),
        ("WISH_PAGE_SIZE", "0"),
        ("WISH_DATABASE_URL", "not a url"),
        ("WISH_TILE_URL", "https://tiles.example/{z}.png"),
    ],
)
def test_malformed_setting_is_named_in_the_error(name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({name: value})


def test_create_app_refuses_an_unknown_setting(monkeypatch):
    monkeypatch.setenv("WISH_DATABASE", "sqlite://")
    with pytest.raises(ConfigError, match="WISH_DATABASE"):
        create_app()


def test_every_setting_has_a_default_and_help_line_in_the_readme():
    readme = (__import__("wish.config").config.ROOT / "README.md").read_text()
    for variable, _default, help_line in settings_table():
        assert help_line, variable
        assert f"`{variable}`" in readme, f"{variable} missing from the README's settings table"


def test_an_online_geocoder_needs_the_operators_contact():
    with pytest.raises(ConfigError, match="WISH_GEOCODER_CONTACT"):
        load_settings({"WISH_GEOCODER": "nominatim"})
    assert load_settings({"WISH_GEOCODER": "nominatim", "WISH_GEOCODER_CONTACT": "ops@example.org"}).geocoder


def test_an_unknown_geocoder_service_is_refused():
    with pytest.raises(ConfigError, match="WISH_GEOCODER"):
        load_settings({"WISH_GEOCODER": "crystal-ball", "WISH_GEOCODER_CONTACT": "ops@example.org"})
