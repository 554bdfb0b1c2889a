"""Rebuild stored entities with every converter and validator, each once per distinct value.

A year's marks repeat a few values hundreds of thousands of times: ~1,300 student ids,
~20 subjects, a handful of work types and teachers, ~300 dates, nine mark texts. Running
each field's converter and validator on every row (about 7 µs a mark) was most of the
time it took to read a year. :class:`EntityBuilder` builds the same entity as the class's
own ``__init__``, with the same checks in the same order and the same errors, but
remembers the values of a field that have already passed them: a repeated value costs one
dictionary look-up, and nothing that was not checked once reaches the rules.

Only text, dates and ``None`` are remembered (a ``str`` never equals a ``date``; integers
are left out because ``1 == True``), and for a field without a converter also moments,
keyed by the moment and its time zone: two equal moments may carry different zones, and
the entity keeps the value it was given, not the remembered one. A field whose validator
is a method of the class, and so may look at other fields, is checked on every row; so are
the fields named ``unique`` (an id), whose values would only fill the memory.

Like attrs, the builder compiles one function per class: a loop over the fields in Python
would cost as much as the checks it saves.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Collection
from typing import Any, Generic, TypeVar, cast

import attrs

__all__: list[str] = []

T = TypeVar("T")

_MAX_REMEMBERED = 65_536
"""Values remembered per field; beyond it the field's memory starts over (bounded memory)."""


def _checks_value_alone(cls: type[Any], attribute: attrs.Attribute[Any]) -> bool:
    """Whether the field's validator is a function of the value alone.

    A validator written as a method of the class (``@field.validator``) may look at the
    other fields; a combination of validators is not inspected.
    """
    validator = attribute.validator
    if validator is None:
        return True
    return isinstance(validator, types.FunctionType) and not validator.__qualname__.startswith(
        f"{cls.__qualname__}."
    )


class EntityBuilder(Generic[T]):
    """Build instances of a frozen attrs class as its ``__init__`` would, checks remembered.

    Converters run first, field by field, then validators in field order, then
    ``__attrs_post_init__``, as attrs' generated ``__init__`` does; a value of a remembered
    field that passed both before is taken as converted then. Call it with the class's
    keyword arguments.
    """

    def __init__(self, cls: type[T], *, unique: Collection[str] = ()) -> None:
        """Compile a builder of ``cls``.

        Args:
            cls: A slotted attrs class whose converters take the value alone.
            unique: Fields whose values differ on every row: checked every time, never
                remembered.

        Raises:
            TypeError: For a converter that takes the instance or the field.
        """
        namespace: dict[str, Any] = {
            "_new": object.__new__,
            "_cls": cls,
            "_plain": (str, dt.date, type(None)),
            "_datetime": dt.datetime,
            "_none": object(),
            "_max": _MAX_REMEMBERED,
        }
        params: list[str] = []
        convert: list[str] = []
        validate: list[str] = []
        remember: list[str] = []
        for i, attribute in enumerate(attrs.fields(cast("type[attrs.AttrsInstance]", cls))):
            name = attribute.alias or attribute.name
            converter, validator = attribute.converter, attribute.validator
            if isinstance(converter, attrs.Converter):
                message = f"{cls.__name__}.{attribute.name}: converters of the value only"
                raise TypeError(message)
            namespace[f"_a{i}"] = attribute
            namespace[f"_s{i}"] = cls.__dict__[attribute.name].__set__
            namespace[f"_c{i}"] = converter
            namespace[f"_v{i}"] = validator
            params.append(self._param(namespace, i, name, attribute.default))
            if isinstance(attribute.default, attrs.Factory):  # type: ignore[arg-type]
                factory: Any = attribute.default
                namespace[f"_f{i}"] = factory.factory
                call = f"_f{i}(entity)" if factory.takes_self else f"_f{i}()"
                convert.append(f"    if {name} is _nothing: {name} = {call}")
            checked = converter is not None or validator is not None
            if checked and _checks_value_alone(cls, attribute) and attribute.name not in unique:
                namespace[f"_m{i}"] = {}
                if converter is None:
                    # The value itself is kept: a moment may be remembered with its zone.
                    key = (
                        f"{name} if type({name}) in _plain else ({name}, {name}.tzinfo) "
                        f"if type({name}) is _datetime else _none"
                    )
                    convert += [
                        f"    _k{i} = {key}",
                        f"    _n{i} = _k{i} is _none or _k{i} not in _m{i}",
                        f"    _s{i}(entity, {name})",
                    ]
                else:
                    convert += [
                        f"    _k{i} = {name} if type({name}) in _plain else _none",
                        f"    _n{i} = _k{i} is _none or _k{i} not in _m{i}",
                        f"    _s{i}(entity, _c{i}({name}) if _n{i} else _m{i}[_k{i}])",
                    ]
                if validator is not None:
                    validate.append(f"    if _n{i}: _v{i}(entity, _a{i}, entity.{attribute.name})")
                remember += [
                    f"    if _n{i} and _k{i} is not _none:",
                    f"        if len(_m{i}) >= _max: _m{i}.clear()",
                    f"        _m{i}[_k{i}] = entity.{attribute.name}",
                ]
            else:
                step = f"_c{i}({name})" if converter is not None else name
                convert.append(f"    _s{i}(entity, {step})")
                if validator is not None:
                    validate.append(f"    _v{i}(entity, _a{i}, entity.{attribute.name})")
        post_init = getattr(cls, "__attrs_post_init__", None)
        namespace["_post"] = post_init
        source = "\n".join(
            [
                f"def build(*, {', '.join(params)}):",
                "    entity = _new(_cls)",
                *convert,
                *validate,
                *(["    _post(entity)"] if post_init is not None else []),
                *remember,
                "    return entity",
            ]
        )
        namespace["_nothing"] = attrs.NOTHING
        code = compile(source, f"<eschool_core entity builder {cls.__qualname__}>", "exec")
        exec(code, namespace)  # noqa: S102 - our own source, built from the class's fields
        self._build: Callable[..., T] = namespace["build"]

    @staticmethod
    def _param(namespace: dict[str, Any], i: int, name: str, default: object) -> str:
        if default is attrs.NOTHING:
            return name
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            return f"{name}=_nothing"
        namespace[f"_d{i}"] = default
        return f"{name}=_d{i}"

    def __call__(self, **values: Any) -> T:  # noqa: ANN401 - the entity's fields
        """Return the entity of ``values`` (the class's keyword arguments).

        Raises:
            Exception: What the class's converters and validators raise for the first bad
                value, as its ``__init__`` would; ``TypeError`` for a missing argument.
        """
        return self._build(**values)

    @property
    def build(self) -> Callable[..., T]:
        """The compiled function itself (saves a call per entity in a loop)."""
        return self._build
