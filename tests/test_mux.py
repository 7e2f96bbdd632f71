"""Mux's token types: aud, URLs, and the checks on each documented parameter."""

from __future__ import annotations

from typing import Any

import pytest

from localjwt import (
    TOKEN_TYPES,
    ClaimsError,
    ParameterError,
    UnknownParameterWarning,
    token_type,
)
from localjwt.mux import VIEWER_COUNT_KINDS, check_parameters

TYPE_NAMES = "video, thumbnail, gif, storyboard, drm_license, viewer_counts"


@pytest.mark.parametrize(
    ("name", "aud", "bundle_key"),
    [
        ("video", "v", "playback-token"),
        ("thumbnail", "t", "thumbnail-token"),
        ("gif", "g", "gif-token"),
        ("storyboard", "s", "storyboard-token"),
        ("drm_license", "d", "drm-token"),
        ("viewer_counts:video", "video_id", "stats-token"),
        ("viewer_counts:asset", "asset_id", "stats-token"),
        ("viewer_counts:playback", "playback_id", "stats-token"),
        ("viewer_counts:live_stream", "live_stream_id", "stats-token"),
    ],
)
def test_each_token_type_carries_mux_aud(name: str, aud: str, bundle_key: str) -> None:
    """aud and the signPlaybackId result key are Mux's (MUX-TOKENS.md table)."""
    kind = token_type(name)

    assert (kind.name, kind.aud, kind.bundle_key) == (name, aud, bundle_key)


def test_there_are_exactly_the_documented_token_types() -> None:
    """Five media types and four kinds of viewer counts."""
    assert set(TOKEN_TYPES) == {
        "video",
        "thumbnail",
        "gif",
        "storyboard",
        "drm_license",
        *(f"viewer_counts:{kind}" for kind in VIEWER_COUNT_KINDS),
    }


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("playback", "video"),
        ("v", "video"),
        ("Video", "video"),
        ("t", "thumbnail"),
        ("g", "gif"),
        ("s", "storyboard"),
        ("drm", "drm_license"),
        ("d", "drm_license"),
        ("drm-license", "drm_license"),
        ("stats", "viewer_counts:video"),
        ("viewer_counts", "viewer_counts:video"),
        ("Viewer Counts", "viewer_counts:video"),
        ("asset_id", "viewer_counts:asset"),
        ("live_stream_id", "viewer_counts:live_stream"),
    ],
)
def test_token_types_are_found_by_alias_and_aud(alias: str, name: str) -> None:
    """Node SDK names, aud letters and loose spelling all find the type."""
    assert token_type(alias).name == name


@pytest.mark.parametrize(
    ("id_kind", "name"),
    [
        ("asset", "viewer_counts:asset"),
        ("live stream", "viewer_counts:live_stream"),
        ("Playback", "viewer_counts:playback"),
    ],
)
def test_viewer_counts_take_an_id_kind(id_kind: str, name: str) -> None:
    """Viewer counts name which ID they are for, and aud says it."""
    assert token_type("viewer_counts", id_kind).name == name


def test_an_id_kind_is_ignored_for_media_types() -> None:
    """Only viewer counts have ID kinds."""
    assert token_type("video", "asset").name == "video"


@pytest.mark.parametrize(
    ("name", "id_kind", "found"),
    [
        ("foo", None, "'foo'"),
        ("x" * 50, None, repr("x" * 30)),
        ("viewer_counts", "channel", "'viewer_counts' with ID kind 'channel'"),
    ],
)
def test_unknown_token_types_are_refused(
    name: str, id_kind: str | None, found: str
) -> None:
    """The message lists every type there is."""
    with pytest.raises(ClaimsError) as caught:
        token_type(name, id_kind)

    assert (
        caught.value.message == f"Expected a token type ({TYPE_NAMES}), found {found}"
    )
    assert caught.value.field == "type"


@pytest.mark.parametrize(
    ("name", "urls"),
    [
        (
            "video",
            [
                ("HLS stream", "https://stream.mux.com/PB1.m3u8"),
                ("Mux Player page", "https://player.mux.com/PB1"),
            ],
        ),
        (
            "thumbnail",
            [
                ("Thumbnail (JPG)", "https://image.mux.com/PB1/thumbnail.jpg"),
                ("Thumbnail (PNG)", "https://image.mux.com/PB1/thumbnail.png"),
                ("Thumbnail (WEBP)", "https://image.mux.com/PB1/thumbnail.webp"),
            ],
        ),
        (
            "gif",
            [
                ("Animated GIF", "https://image.mux.com/PB1/animated.gif"),
                ("Animated WEBP", "https://image.mux.com/PB1/animated.webp"),
            ],
        ),
        (
            "storyboard",
            [
                ("Storyboard (VTT)", "https://image.mux.com/PB1/storyboard.vtt"),
                ("Storyboard (JSON)", "https://image.mux.com/PB1/storyboard.json"),
                ("Storyboard (JPG)", "https://image.mux.com/PB1/storyboard.jpg"),
            ],
        ),
        (
            "drm_license",
            [
                ("Widevine license", "https://license.mux.com/license/widevine/PB1"),
                ("PlayReady license", "https://license.mux.com/license/playready/PB1"),
                ("FairPlay license", "https://license.mux.com/license/fairplay/PB1"),
                (
                    "FairPlay certificate",
                    "https://license.mux.com/appcert/fairplay/PB1",
                ),
            ],
        ),
        ("viewer_counts:asset", [("Viewer counts", "https://stats.mux.com/counts")]),
    ],
)
def test_each_type_lists_the_urls_its_token_unlocks(
    name: str, urls: list[tuple[str, str]]
) -> None:
    """The URLs are Mux's own, without a query: the token is added when signed."""
    assert TOKEN_TYPES[name].urls("PB1") == urls


@pytest.mark.parametrize(
    ("name", "params", "claims"),
    [
        (
            "thumbnail",
            {"time": "12.5", "width": "640", "height": 360.0, "fit_mode": "smartcrop"},
            {"time": 12.5, "width": 640, "height": 360, "fit_mode": "smartcrop"},
        ),
        (
            "thumbnail",
            {"rotate": 90, "flip_v": "yes", "flip_h": "0"},
            {"rotate": 90, "flip_v": True, "flip_h": False},
        ),
        (
            "thumbnail",
            {"program_time": "1767225600", "latest": True},
            {"program_time": 1767225600, "latest": True},
        ),
        ("thumbnail", {"time": 0, "latest": "false"}, {"time": 0, "latest": False}),
        (
            "gif",
            {"start": 5, "end": 15, "width": 640, "fps": 30},
            {"start": 5, "end": 15, "width": 640, "fps": 30},
        ),
        ("gif", {"end": 10, "height": "1"}, {"end": 10, "height": 1}),
        (
            "video",
            {"min_resolution": "480p", "max_resolution": "1080p"},
            {"min_resolution": "480p", "max_resolution": "1080p"},
        ),
        (
            "video",
            {"min_resolution": "720p", "max_resolution": "720p"},
            {"min_resolution": "720p", "max_resolution": "720p"},
        ),
        (
            "video",
            {"rendition_order": "desc", "redundant_streams": "on"},
            {"rendition_order": "desc", "redundant_streams": True},
        ),
        (
            "video",
            {"default_subtitles_lang": " en-US ", "roku_trick_play": 1},
            {"default_subtitles_lang": "en-US", "roku_trick_play": True},
        ),
        (
            "video",
            {"asset_start_time": 10, "asset_end_time": "70.5"},
            {"asset_start_time": 10, "asset_end_time": 70.5},
        ),
        (
            "storyboard",
            {"program_start_time": 1767225600, "program_end_time": 1767229200.0},
            {"program_start_time": 1767225600, "program_end_time": 1767229200},
        ),
        ("storyboard", {"format": "webp"}, {"format": "webp"}),
        ("thumbnail", {"time": None, "width": ""}, {}),
    ],
)
def test_documented_parameters_become_claims_of_the_json_type_mux_reads(
    name: str, params: dict[str, Any], claims: dict[str, Any]
) -> None:
    """Form and command-line text ("12", "yes") becomes numbers and booleans."""
    result = check_parameters(token_type(name), params)

    assert result == claims
    assert [type(value) for value in result.values()] == [
        type(value) for value in claims.values()
    ]


def expected(name: str, what: str, found: str) -> str:
    """The shape of every parameter message."""
    return f"Expected {name} to be {what}, found {found}"


RESOLUTIONS = "270p, 360p, 480p, 540p, 720p, 1080p, 1440p, 2160p"


@pytest.mark.parametrize(
    ("name", "params", "field", "message"),
    [
        (
            "thumbnail",
            {"time": -1},
            "time",
            expected("time", "a number of at least 0", "-1"),
        ),
        (
            "thumbnail",
            {"time": "abc"},
            "time",
            expected("time", "a number of at least 0", "'abc'"),
        ),
        (
            "thumbnail",
            {"time": "inf"},
            "time",
            expected("time", "a number of at least 0", "'inf'"),
        ),
        (
            "thumbnail",
            {"time": "a" * 50},
            "time",
            expected("time", "a number of at least 0", "'" + "a" * 36 + "..."),
        ),
        (
            "thumbnail",
            {"width": 0},
            "width",
            expected("width", "a whole number of at least 1", "0"),
        ),
        (
            "thumbnail",
            {"width": 1.5},
            "width",
            expected("width", "a whole number of at least 1", "1.5"),
        ),
        (
            "thumbnail",
            {"height": True},
            "height",
            expected("height", "a whole number of at least 1", "True"),
        ),
        (
            "thumbnail",
            {"width": [640]},
            "width",
            expected("width", "a whole number of at least 1", "[640]"),
        ),
        (
            "thumbnail",
            {"rotate": 45},
            "rotate",
            expected("rotate", "one of 90, 180, 270", "45"),
        ),
        (
            "thumbnail",
            {"rotate": True},
            "rotate",
            expected("rotate", "one of 90, 180, 270", "True"),
        ),
        (
            "thumbnail",
            {"fit_mode": "zoom"},
            "fit_mode",
            expected(
                "fit_mode", "one of preserve, stretch, crop, smartcrop, pad", "'zoom'"
            ),
        ),
        (
            "thumbnail",
            {"flip_h": "maybe"},
            "flip_h",
            expected("flip_h", "true or false", "'maybe'"),
        ),
        (
            "thumbnail",
            {"program_time": -5},
            "program_time",
            expected("program_time", "a Unix time in seconds of at least 0", "-5"),
        ),
        (
            "gif",
            {"width": 641},
            "width",
            expected("width", "a whole number from 1 to 640", "641"),
        ),
        (
            "gif",
            {"height": 0},
            "height",
            expected("height", "a whole number from 1 to 640", "0"),
        ),
        (
            "gif",
            {"fps": 31},
            "fps",
            expected("fps", "a whole number from 1 to 30", "31"),
        ),
        ("gif", {"fps": 0}, "fps", expected("fps", "a whole number from 1 to 30", "0")),
        (
            "gif",
            {"start": 5, "end": 16},
            "end",
            "Expected end at most 10 seconds after start, found 11 seconds",
        ),
        (
            "gif",
            {"end": 10.5},
            "end",
            "Expected end at most 10 seconds after start, found 10.5 seconds",
        ),
        ("gif", {"start": 5, "end": 5}, "end", "Expected end after start (5), found 5"),
        ("gif", {"start": 5, "end": 2}, "end", "Expected end after start (5), found 2"),
        (
            "video",
            {"min_resolution": "1080p", "max_resolution": "720p"},
            "min_resolution",
            "Expected min_resolution at most max_resolution (720p), found 1080p",
        ),
        (
            "video",
            {"max_resolution": "4k"},
            "max_resolution",
            expected("max_resolution", f"one of {RESOLUTIONS}", "'4k'"),
        ),
        (
            "video",
            {"rendition_order": "asc"},
            "rendition_order",
            expected("rendition_order", "one of desc", "'asc'"),
        ),
        (
            "video",
            {"default_subtitles_lang": " "},
            "default_subtitles_lang",
            expected("default_subtitles_lang", "some text", "' '"),
        ),
        (
            "video",
            {"default_subtitles_lang": 5},
            "default_subtitles_lang",
            expected("default_subtitles_lang", "some text", "5"),
        ),
        (
            "video",
            {"redundant_streams": "2"},
            "redundant_streams",
            expected("redundant_streams", "true or false", "'2'"),
        ),
        (
            "video",
            {"asset_start_time": 10, "asset_end_time": 5},
            "asset_end_time",
            "Expected asset_end_time after asset_start_time (10), found 5",
        ),
        (
            "video",
            {"program_start_time": 10.5},
            "program_start_time",
            expected(
                "program_start_time", "a Unix time in seconds of at least 0", "10.5"
            ),
        ),
        (
            "storyboard",
            {"program_start_time": 200, "program_end_time": 100},
            "program_end_time",
            "Expected program_end_time after program_start_time (200), found 100",
        ),
        (
            "storyboard",
            {"format": "gif"},
            "format",
            expected("format", "one of jpg, png, webp", "'gif'"),
        ),
    ],
)
def test_bad_parameters_are_refused_with_exact_messages(
    name: str, params: dict[str, Any], field: str, message: str
) -> None:
    """Each check says which parameter, what it must be, and what it was."""
    with pytest.raises(ParameterError) as caught:
        check_parameters(token_type(name), params)

    assert caught.value.message == message
    assert caught.value.name == field
    assert caught.value.field == f"params.{field}"


def test_unknown_parameters_warn_and_pass_through_unchanged() -> None:
    """Mux may add parameters before localjwt knows them, so they are signed."""
    with pytest.warns(UnknownParameterWarning) as record:
        claims = check_parameters(token_type("video"), {"foo": "bar", "n": [1, 2]})

    assert claims == {"foo": "bar", "n": [1, 2]}
    assert [str(warning.message) for warning in record] == [
        "'foo' is not a documented Video parameter; it is signed as given",
        "'n' is not a documented Video parameter; it is signed as given",
    ]
    assert record[0].filename == __file__


def test_a_parameter_of_another_type_is_unknown_here() -> None:
    """time is a thumbnail parameter; on a video token it is undocumented."""
    with pytest.warns(UnknownParameterWarning, match="not a documented Video"):
        assert check_parameters(token_type("video"), {"time": 5}) == {"time": 5}


def test_undocumented_start_and_end_pass_unchecked() -> None:
    """Pairs are checked only where both are documented for the type."""
    params = {"asset_start_time": "x", "asset_end_time": 5}

    with pytest.warns(UnknownParameterWarning):
        assert check_parameters(token_type("thumbnail"), params) == params


def test_undocumented_resolutions_pass_unchecked() -> None:
    """min_resolution means nothing on a thumbnail; it is passed on as given."""
    params = {"min_resolution": "tiny", "max_resolution": "720p"}

    with pytest.warns(UnknownParameterWarning):
        assert check_parameters(token_type("thumbnail"), params) == params
