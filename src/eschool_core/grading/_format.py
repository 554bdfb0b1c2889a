"""Display of exact numbers at the edge: two decimals, half-up, Russian or English."""

from __future__ import annotations

from fractions import Fraction

from eschool_core import _validation as v
from eschool_core.errors import Language

__all__ = ["exact_text", "format_decimal", "format_percent"]


def format_decimal(value: Fraction | int, places: int = 2, language: Language | str = "ru") -> str:
    """Return ``value`` with ``places`` decimals, rounded half-up (away from zero at a tie).

    Russian uses a decimal comma, English a point.

    Args:
        value: An exact number.
        places: Decimal places (0 or more).
        language: ``"ru"`` or ``"en"``.

    Raises:
        ValidationError: For a float or a non-number.

    >>> format_decimal(Fraction(13, 3)), format_decimal(Fraction(9, 2), 0, "en")
    ('4,33', '5')
    """
    exact = v.to_fraction(value)
    scale = 10**places
    scaled = abs(exact) * scale
    units = scaled.numerator // scaled.denominator
    if scaled - units >= Fraction(1, 2):
        units += 1
    sign = "-" if exact < 0 and units else ""
    whole, part = divmod(units, scale)
    text = f"{sign}{whole}" if places == 0 else f"{sign}{whole}.{part:0{places}d}"
    return text.replace(".", ",") if Language(language) is Language.RU else text


def format_percent(share: Fraction | int, language: Language | str = "ru") -> str:
    """Return a share (0..1) as a percentage with two decimals, rounded half-up.

    >>> format_percent(Fraction(2, 3)), format_percent(Fraction(1, 8), "en")
    ('66,67 %', '12.50%')
    """
    number = format_decimal(v.to_fraction(share) * 100, 2, language)
    return f"{number} %" if Language(language) is Language.RU else f"{number}%"


def exact_text(value: Fraction, language: Language | str = "ru") -> str:
    """Return an exact number as a short decimal when it has one (``4,65``), else ``13/3``.

    >>> exact_text(Fraction("4.65")), exact_text(Fraction(13, 3), "en")
    ('4,65', '13/3')
    """
    exact = v.to_fraction(value)
    if exact.denominator == 1:
        return str(exact.numerator)
    for places in range(1, 7):
        if (exact * 10**places).denominator == 1:
            return format_decimal(exact, places, language)
    return f"{exact.numerator}/{exact.denominator}"
