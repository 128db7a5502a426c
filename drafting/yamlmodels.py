"""The pydantic side of the YAML files: shared field types, and validation errors in Chinese
with the line of each problem (the YAML itself is read by drafting.yamlsource)."""

from __future__ import annotations

import re
from typing import Annotated, Any, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, StringConstraints, ValidationError

from .errors import InputError, InputErrors
from .yamlsource import YamlDoc, shown

# Tags of discriminated unions appear in pydantic locs; they are not YAML keys.
TAG_PREFIX = "<"


def clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith(TAG_PREFIX)))


def dotted(loc: tuple[Any, ...]) -> str:
    """Field name shown to the user: keys joined by dots, list indices left out (the line says which)."""
    return ".".join(str(p) for p in loc if not isinstance(p, int))


def _one_or_many(value: Any) -> Any:
    # A single item may be written without the list dash.
    return [value] if isinstance(value, str) else value


def in_range(low: float, high: float, above_low: bool = False) -> AfterValidator:
    """A numeric setting's allowed range, said in the message (numbers outside break dates and sums)."""

    def check(value: Any) -> Any:
        if (value <= low if above_low else value < low) or value > high:
            lower = f"大于{low:g}" if above_low else f"{low:g}"
            raise ValueError(f"应在{lower}到{high:g}之间（实际为{shown(value)}）" if not above_low else f"应{lower}且不超过{high:g}（实际为{shown(value)}）")
        return value

    return AfterValidator(check)


# Field types shared by the YAML models.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TextList = Annotated[list[Text], BeforeValidator(_one_or_many)]


_SIMPLE = {
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "数字过大，应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项一行，以“- ”开头）",
    "dict_type": "应为下一级的键值（键: 值）",
    "model_type": "应为下一级的键值（键: 值）",
    "model_attributes_type": "应为下一级的键值（键: 值）",
    "date_type": "无法识别的日期",
    "date_parsing": "无法识别的日期",
    "date_from_datetime_parsing": "无法识别的日期",
    "date_from_datetime_inexact": "无法识别的日期",
}


def translate(error: dict[str, Any], allowed_keys: list[str] | None = None) -> str:
    """One pydantic error as a Chinese phrase; never returns pydantic's English text."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "缺少必填项"
    if kind == "extra_forbidden":
        key = error["loc"][-1] if error.get("loc") else value
        message = f"不认识的键“{key}”"
        if allowed_keys:
            import difflib  # only for a misspelt key

            close = difflib.get_close_matches(str(key), allowed_keys, n=1)
            if close:
                message += f"，是不是“{close[0]}”？"
            message += f"（可用的键：{'、'.join(allowed_keys)}）"
        return message
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if options:
            return f"应为以下之一：{'、'.join(options)}（实际为“{shown(value)}”）"
        return "取值不在允许范围内"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "too_short":
        return f"至少要有{ctx.get('min_length', 1)}项"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        words = {
            "greater_than_equal": "不能小于",
            "greater_than": "应大于",
            "less_than_equal": "不能大于",
            "less_than": "应小于",
        }
        return f"{words[kind]}{bound}（实际为{shown(value)}）"
    if kind in _SIMPLE:
        if value is None:
            return "此处为空，缺少内容"
        if kind.startswith("date"):
            return f"无法识别的日期“{shown(value)}”"
        if isinstance(value, (dict, list)):
            return _SIMPLE[kind]
        return f"{_SIMPLE[kind]}，而不是“{shown(value)}”"
    if kind == "custom" or kind.startswith("x_"):
        return str(error.get("msg", "内容不符合要求"))
    return "内容不符合要求" if value is None else f"内容不符合要求（“{shown(value)}”）"


def validation_errors(
    doc: YamlDoc, exc: ValidationError, model: type | None = None, prefix: tuple[Any, ...] = ()
) -> InputErrors:
    """All errors of ``exc`` as InputErrors, each with its YAML line and dotted field name.

    ``prefix`` is prepended to each loc (when the model was validated from a sub-tree);
    ``model`` lets an unknown key be answered with the keys that are allowed there.
    """
    found: list[InputError] = []
    for error in exc.errors(include_url=False):
        loc = prefix + clean_loc(tuple(error["loc"]))
        allowed = None
        if error.get("type") == "extra_forbidden" and model is not None:
            allowed = allowed_keys(model, clean_loc(tuple(error["loc"]))[:-1])
        error = {**error, "loc": loc}
        found.append(InputError(translate(error, allowed), doc.location(loc, dotted(loc) or None)))
    return InputErrors(found)


def allowed_keys(model: type, loc: tuple[Any, ...]) -> list[str] | None:
    """Field names of the sub-model reached by following ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional / list / Annotated down to one model class, if there is exactly one."""
    for _ in range(6):
        args = get_args(annotation)
        if not args or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return annotation
        if get_origin(annotation) in (list, tuple):
            annotation = args[0]
            continue
        candidates = [
            get_args(a)[0] if get_origin(a) is Annotated else a for a in args if a is not type(None)
        ]
        models = [a for a in candidates if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(models) > 1:
            return None
        annotation = models[0] if len(models) == 1 else candidates[0]
    return annotation
