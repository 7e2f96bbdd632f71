"""Mux's token types: their ``aud``, documented parameters and URLs.

Sources: Mux's guides "Secure video playback", "Modify playback behavior",
"Get images from a video", "Protect videos with DRM" and "See how many people
are watching", and ``jwt.signPlaybackId`` in ``@mux/mux-node`` 14 (gathered
in shared/MUX-TOKENS.md). Parameters go inside the claims; a signed URL may
carry nothing but ``?token=``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import ClaimsError, ParameterError

__all__ = [
    "TOKEN_TYPES",
    "TYPE_NAMES",
    "VIEWER_COUNT_KINDS",
    "Parameter",
    "TokenType",
    "UnknownParameterWarning",
    "check_parameters",
    "token_type",
]

Kind = Literal["number", "integer", "boolean", "choice", "string", "timestamp"]


class UnknownParameterWarning(UserWarning):
    """Warned for a parameter Mux does not document for the token type."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Parameter:
    """One documented claim of a token type, with its type and range."""

    name: str
    kind: Kind
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def coerce(self, value: Any) -> Any:
        """Return ``value`` as the JSON type Mux expects, or raise ParameterError.

        Text from a form or a command line (``"12"``, ``"true"``) is converted;
        Mux's own CLI leaves it as text.
        """
        if self.kind == "boolean":
            return self._boolean(value)
        if self.kind == "choice":
            text = str(value).strip() if not isinstance(value, bool) else ""
            if text not in self.choices:
                raise self._error(f"one of {', '.join(self.choices)}", value)
            return int(text) if text.isdigit() else text
        if self.kind == "string":
            if not isinstance(value, str) or not value.strip():
                raise self._error("some text", value)
            return value.strip()
        return self._number(value)

    def _boolean(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "1", "yes", "on"}:
            return True
        if text in {"false", "0", "no", "off"}:
            return False
        raise self._error("true or false", value)

    def _number(self, value: Any) -> int | float:
        if isinstance(value, bool):
            raise self._error(self._expected_number(), value)
        try:
            number = float(value.strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise self._error(self._expected_number(), value) from None
        if not math.isfinite(number):
            raise self._error(self._expected_number(), value)
        if self.kind != "number":
            if not number.is_integer():
                raise self._error(self._expected_number(), value)
            number = int(number)
        low, high = self.minimum, self.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise self._error(self._expected_number(), value)
        return int(number) if float(number).is_integer() else number

    def _expected_number(self) -> str:
        noun = {
            "number": "a number",
            "integer": "a whole number",
            "timestamp": "a Unix time in seconds",
        }[self.kind]
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f"{noun} from {low:g} to {high:g}"
        if low is not None:
            return f"{noun} of at least {low:g}"
        return noun

    def _error(self, expected: str, value: Any) -> ParameterError:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        return ParameterError(
            self.name, f"Expected {self.name} to be {expected}, found {shown}"
        )


@dataclass(frozen=True)
class TokenType:
    """A kind of Mux token: what ``aud`` it carries and where it is used."""

    name: str
    label: str
    aud: str
    id_label: str
    bundle_key: str
    parameters: tuple[Parameter, ...] = ()
    urls: Callable[[str], list[tuple[str, str]]] = field(
        default=lambda playback_id: [], compare=False
    )

    def parameter(self, name: str) -> Parameter | None:
        """The documented parameter called ``name``, if there is one."""
        return next((p for p in self.parameters if p.name == name), None)


_RESOLUTIONS = ("270p", "360p", "480p", "540p", "720p", "1080p", "1440p", "2160p")


def _clip(prefix: str) -> tuple[Parameter, ...]:
    """The instant-clipping claims shared by video and storyboard tokens."""
    return (
        Parameter(
            "asset_start_time",
            "number",
            f"{prefix} starts this many seconds in",
            minimum=0,
        ),
        Parameter(
            "asset_end_time",
            "number",
            f"{prefix} ends this many seconds in",
            minimum=0,
        ),
        Parameter(
            "program_start_time",
            "timestamp",
            f"{prefix} starts at this Unix time (live streams)",
            minimum=0,
        ),
        Parameter(
            "program_end_time",
            "timestamp",
            f"{prefix} ends at this Unix time (live streams)",
            minimum=0,
        ),
    )


_VIDEO = TokenType(
    name="video",
    label="Video",
    aud="v",
    id_label="Playback ID",
    bundle_key="playback-token",
    parameters=(
        Parameter(
            "max_resolution", "choice", "Highest rendition served", choices=_RESOLUTIONS
        ),
        Parameter(
            "min_resolution", "choice", "Lowest rendition served", choices=_RESOLUTIONS
        ),
        Parameter(
            "rendition_order",
            "choice",
            "Order of renditions in the playlist",
            choices=("desc",),
        ),
        Parameter("redundant_streams", "boolean", "Add fallback CDN streams"),
        Parameter("roku_trick_play", "boolean", "Add Roku trick-play images"),
        Parameter(
            "default_subtitles_lang",
            "string",
            "Subtitle language on by default (BCP 47, e.g. en-US)",
        ),
        *_clip("Playback"),
    ),
    urls=lambda playback_id: [
        ("HLS stream", f"https://stream.mux.com/{playback_id}.m3u8"),
        ("Mux Player page", f"https://player.mux.com/{playback_id}"),
    ],
)

_THUMBNAIL = TokenType(
    name="thumbnail",
    label="Thumbnail",
    aud="t",
    id_label="Playback ID",
    bundle_key="thumbnail-token",
    parameters=(
        Parameter("time", "number", "Seconds into the video", minimum=0),
        Parameter("width", "integer", "Width in pixels", minimum=1),
        Parameter("height", "integer", "Height in pixels", minimum=1),
        Parameter(
            "fit_mode",
            "choice",
            "How the image fills width and height",
            choices=("preserve", "stretch", "crop", "smartcrop", "pad"),
        ),
        Parameter(
            "rotate",
            "choice",
            "Clockwise rotation in degrees",
            choices=("90", "180", "270"),
        ),
        Parameter("flip_v", "boolean", "Flip vertically"),
        Parameter("flip_h", "boolean", "Flip horizontally"),
        Parameter(
            "program_time", "timestamp", "Unix time of the frame (live)", minimum=0
        ),
        Parameter("latest", "boolean", "The latest frame of a live stream"),
    ),
    urls=lambda playback_id: [
        (
            f"Thumbnail ({ext.upper()})",
            f"https://image.mux.com/{playback_id}/thumbnail.{ext}",
        )
        for ext in ("jpg", "png", "webp")
    ],
)

_GIF = TokenType(
    name="gif",
    label="GIF",
    aud="g",
    id_label="Playback ID",
    bundle_key="gif-token",
    parameters=(
        Parameter("start", "number", "Seconds into the video", minimum=0),
        Parameter("end", "number", "At most 10 seconds after start", minimum=0),
        Parameter("width", "integer", "Width in pixels", minimum=1, maximum=640),
        Parameter("height", "integer", "Height in pixels", minimum=1, maximum=640),
        Parameter("fps", "integer", "Frames per second", minimum=1, maximum=30),
    ),
    urls=lambda playback_id: [
        (
            f"Animated {ext.upper()}",
            f"https://image.mux.com/{playback_id}/animated.{ext}",
        )
        for ext in ("gif", "webp")
    ],
)

_STORYBOARD = TokenType(
    name="storyboard",
    label="Storyboard",
    aud="s",
    id_label="Playback ID",
    bundle_key="storyboard-token",
    parameters=(
        *_clip("The storyboard"),
        Parameter(
            "format",
            "choice",
            "Tile image format (storyboard.json only)",
            choices=("jpg", "png", "webp"),
        ),
    ),
    urls=lambda playback_id: [
        (
            f"Storyboard ({ext.upper()})",
            f"https://image.mux.com/{playback_id}/storyboard.{ext}",
        )
        for ext in ("vtt", "json", "jpg")
    ],
)

_DRM_SYSTEMS = (
    ("widevine", "Widevine"),
    ("playready", "PlayReady"),
    ("fairplay", "FairPlay"),
)
_DRM_LICENSE = TokenType(
    name="drm_license",
    label="DRM license",
    aud="d",
    id_label="Playback ID",
    bundle_key="drm-token",
    urls=lambda playback_id: [
        *(
            (
                f"{name} license",
                f"https://license.mux.com/license/{system}/{playback_id}",
            )
            for system, name in _DRM_SYSTEMS
        ),
        (
            "FairPlay certificate",
            f"https://license.mux.com/appcert/fairplay/{playback_id}",
        ),
    ],
)


def _viewer_counts(kind: str, label: str) -> TokenType:
    return TokenType(
        name=f"viewer_counts:{kind}",
        label=f"Viewer counts ({label})",
        aud=f"{kind}_id",
        id_label=label,
        bundle_key="stats-token",
        urls=lambda _id: [("Viewer counts", "https://stats.mux.com/counts")],
    )


# Mux Data's viewer counts take one of four IDs; aud names which.
VIEWER_COUNT_KINDS = {
    "video": "Video ID",
    "asset": "Asset ID",
    "playback": "Playback ID",
    "live_stream": "Live stream ID",
}

TOKEN_TYPES: dict[str, TokenType] = {
    t.name: t
    for t in (
        _VIDEO,
        _THUMBNAIL,
        _GIF,
        _STORYBOARD,
        _DRM_LICENSE,
        *(_viewer_counts(kind, label) for kind, label in VIEWER_COUNT_KINDS.items()),
    )
}

# The names a person picks a type by: viewer counts once, its ID kind being a
# choice of its own (``viewer_counts:asset`` in TOKEN_TYPES).
TYPE_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(name.partition(":")[0] for name in TOKEN_TYPES)
)

# Other names people use for the same types: Node SDK's, Mux's aud letters.
_ALIASES = {
    "playback": "video",
    "v": "video",
    "t": "thumbnail",
    "g": "gif",
    "s": "storyboard",
    "drm": "drm_license",
    "d": "drm_license",
    "stats": "viewer_counts:video",
    "viewer_counts": "viewer_counts:video",
    **{f"{kind}_id": f"viewer_counts:{kind}" for kind in VIEWER_COUNT_KINDS},
}


def token_type(name: str, id_kind: str | None = None) -> TokenType:
    """Look up a token type by name, alias or ``aud``.

    Viewer counts take ``id_kind`` (video, asset, playback, live_stream),
    as ``viewer_counts`` with ``id_kind="asset"`` or as ``viewer_counts:asset``.
    """
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if id_kind and key.startswith("viewer_counts"):
        key = f"viewer_counts:{id_kind.strip().lower().replace(' ', '_')}"
    found = TOKEN_TYPES.get(key)
    if found is None:
        names = ", ".join(TYPE_NAMES)
        shown = f"{name[:30]!r}" + (
            f" with ID kind {id_kind[:20]!r}" if id_kind else ""
        )
        raise ClaimsError(
            f"Expected a token type ({names}), found {shown}", field="type"
        )
    return found


def check_parameters(kind: TokenType, params: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and convert a token type's parameters; return the claims.

    Documented parameters are checked by name, type and range, and pairs
    against each other (a GIF is at most 10 seconds long). Undocumented ones
    pass unchanged with an :class:`UnknownParameterWarning`, as Mux may add
    parameters before this list knows them.
    """
    claims: dict[str, Any] = {}
    for name, value in params.items():
        parameter = kind.parameter(name)
        if parameter is None:
            message = (
                f"{name!r} is not a documented {kind.label} parameter; "
                "it is signed as given"
            )
            warnings.warn(UnknownParameterWarning(name, message), stacklevel=2)
            claims[name] = value
        elif value is not None and value != "":
            claims[name] = parameter.coerce(value)
    _check_pairs(kind, claims)
    return claims


def _check_pairs(kind: TokenType, claims: dict[str, Any]) -> None:
    """Check documented parameters against each other; others pass as given."""
    for start, end in (
        ("asset_start_time", "asset_end_time"),
        ("program_start_time", "program_end_time"),
        ("start", "end"),
    ):
        if not (kind.parameter(start) and kind.parameter(end)):
            continue
        if start in claims and end in claims and claims[end] <= claims[start]:
            raise ParameterError(
                end,
                f"Expected {end} after {start} ({claims[start]:g}), "
                f"found {claims[end]:g}",
            )
    if kind.name == "gif" and "end" in claims:
        # Mux renders at most 10 seconds of GIF ("Get images from a video").
        length = claims["end"] - claims.get("start", 0)
        if length > 10:
            raise ParameterError(
                "end",
                f"Expected end at most 10 seconds after start, found {length:g} "
                "seconds",
            )
    low, high = claims.get("min_resolution"), claims.get("max_resolution")
    if (
        kind.parameter("min_resolution")
        and low
        and high
        and _RESOLUTIONS.index(low) > _RESOLUTIONS.index(high)
    ):
        raise ParameterError(
            "min_resolution",
            f"Expected min_resolution at most max_resolution ({high}), found {low}",
        )
