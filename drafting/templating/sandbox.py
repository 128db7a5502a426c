"""The sandbox templates run in: an allowlist of what they may touch, and bounded time, text and nesting.

Templates come from meeting folders written by anyone. On top of jinja2's
``SandboxedEnvironment``:

- **Allowlist.** A template may read keys of dicts, items of lists and tuples,
  ``year``/``month``/``day`` of dates, the ``loop`` variable, namespaces, and
  call a short list of harmless text/list/dict methods (``_STR_METHODS`` …),
  our filters, the Jinja filters in ``SAFE_JINJA_FILTERS`` and the globals
  ``range``, ``dict``, ``namespace``, ``cycler``, ``joiner``. Everything else
  is refused, whatever its name. The data itself is plain (see ``plain.py``).
- **Limits** (``limits.py``): every loop iteration, output chunk, filter, call,
  attribute access and arithmetic operator goes through a per-render
  :class:`RenderBudget` checking time, text produced, loop iterations and
  nesting depth. Huge powers, text or list repetition and ``%`` formatting of
  text are refused before they are computed.

Template source is rewritten once after parsing (``_Guard``) so that loops,
``~`` concatenation and literal template text also pass through the budget.
"""

from __future__ import annotations

import contextvars
import functools
import sys
import time
import types
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import jinja2.filters
from jinja2 import Undefined, nodes, pass_context, pass_environment
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from jinja2.utils import Cycler, Joiner, Namespace
from jinja2.visitor import NodeTransformer

from drafting.templating import limits
from drafting.templating.plain import VALUE_MARK, UserText

# Filters the rewritten template calls; names a template cannot type.
LOOP_FILTER = "drafting.loop"
CONCAT_FILTER = "drafting.concat"

# Jinja's own filters that templates keep (others, e.g. format, center, indent,
# wordwrap, batch, urlize, tojson, are left out: they can blow up or are of no use).
SAFE_JINJA_FILTERS = (
    "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "first", "float", "groupby",
    "int", "items", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr",
    "reverse", "round", "select", "selectattr", "sort", "string", "title", "trim", "truncate",
    "unique", "upper", "wordcount",
)  # fmt: skip

# Methods of plain data a template may call (none changes the object).
_STR_METHODS = frozenset(
    "capitalize casefold count endswith find index isalnum isalpha isdecimal isdigit islower isnumeric "
    "isspace istitle isupper join lower lstrip partition removeprefix removesuffix replace rfind rindex "
    "rpartition rsplit rstrip split splitlines startswith strip swapcase title upper".split()
)
_DICT_METHODS = frozenset({"get", "items", "keys", "values"})
_SEQUENCE_METHODS = frozenset({"count", "index"})
_DATE_ATTRIBUTES = frozenset({"year", "month", "day", "weekday", "isoweekday", "isoformat"})
_LOOP_ATTRIBUTES = frozenset(
    "index index0 revindex revindex0 first last length depth depth0 previtem nextitem cycle changed".split()
)
_CYCLER_ATTRIBUTES = frozenset({"current", "next", "reset"})
_ANY = frozenset({"*"})

MARKUP_LINE_STARTS = ("::", "#", "-", "+", "|")


class TemplateLimitError(Exception):
    """A template went beyond a limit of ``limits.py``; the message is Chinese and complete."""


# -- the budget of one render ------------------------------------------------


def _too_slow() -> TemplateLimitError:
    return TemplateLimitError(
        f"模板渲染用时超过{limits.MAX_RENDER_SECONDS:g}秒（处理器时间）仍未结束，已停止（可能有过多或无穷的循环）"
    )


@dataclass
class RenderBudget:
    deadline: float
    base_frames: int
    work: int = 0  # text and list items built, besides the output
    output: int = 0
    loops: int = 0
    ticks: int = 0

    def tick(self) -> None:
        """Called at every step; looks at the clock every 64th."""
        self.ticks += 1
        if not self.ticks & 63 and time.thread_time() > self.deadline:
            raise _too_slow()

    def charge(self, units: int) -> None:
        self.work += units
        if self.work + self.output > limits.MAX_WORK_UNITS:
            raise TemplateLimitError(
                f"模板生成的文字超过上限（{limits.MAX_WORK_UNITS:,}字），已停止（可能在循环中拼接或重复了过长的文字）"
            )

    def emit(self, chars: int) -> None:
        """A piece of output: ``charge(0)`` and ``tick()`` inlined (called for every piece a template writes)."""
        self.output += chars
        if self.output > limits.MAX_OUTPUT_CHARS:
            raise TemplateLimitError(f"模板渲染结果超过{limits.MAX_OUTPUT_CHARS:,}字，已停止")
        if self.work + self.output > limits.MAX_WORK_UNITS:
            self.charge(0)  # raises
        self.ticks += 1
        if not self.ticks & 63 and time.thread_time() > self.deadline:
            raise _too_slow()

    def loop(self) -> None:
        self.loops += 1
        if self.loops > limits.MAX_LOOP_ITERATIONS:
            raise TemplateLimitError(f"模板中的循环共超过{limits.MAX_LOOP_ITERATIONS:,}次，已停止")
        self.tick()

    def check_depth(self) -> None:
        try:
            sys._getframe(self.base_frames + limits.MAX_NESTING_FRAMES)
        except ValueError:
            return
        raise TemplateLimitError(
            "模板嵌套过深，已停止（可能是模板互相 include / extends / import，或宏无限递归）"
        )


_budget: contextvars.ContextVar[RenderBudget | None] = contextvars.ContextVar("drafting_render_budget", default=None)


def _stack_frames() -> int:
    frame, count = sys._getframe(), 0
    while frame is not None:
        count += 1
        frame = frame.f_back  # type: ignore[assignment]
    return count


@contextmanager
def render_budget() -> Iterator[RenderBudget]:
    """A fresh budget for one render (template and everything it includes)."""
    budget = RenderBudget(deadline=time.thread_time() + limits.MAX_RENDER_SECONDS, base_frames=_stack_frames())
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def _tick() -> None:
    budget = _budget.get()
    if budget is not None:
        budget.tick()


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict)) else 0


def _charge(units: int) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.charge(units)
    elif units > limits.MAX_WORK_UNITS:
        raise TemplateLimitError(f"模板生成的文字超过上限（{limits.MAX_WORK_UNITS:,}字）")


def _refuse_long(size: int, what: str) -> None:
    if size > limits.MAX_OUTPUT_CHARS:
        raise TemplateLimitError(f"{what}后长度为{size:,}，超过上限{limits.MAX_OUTPUT_CHARS:,}，已拒绝")


# -- arithmetic ----------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "**":
        if _is_int(left) and _is_int(right):
            if right > 0 and abs(left) > 1 and right * abs(left).bit_length() > limits.MAX_INT_BITS:
                raise TemplateLimitError("模板中的乘方结果过大（超过约1000位），已拒绝")
        elif isinstance(right, (int, float, Decimal)) and abs(right) > limits.MAX_INT_BITS:
            raise TemplateLimitError("模板中的乘方指数过大，已拒绝")
    elif operator == "*":
        if _is_int(left) and _is_int(right):
            if left.bit_length() + right.bit_length() > limits.MAX_INT_BITS:
                raise TemplateLimitError("模板中的乘法结果过大（超过约1000位），已拒绝")
            return
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and _is_int(times):
                _refuse_long(len(seq) * max(times, 0), "文字或列表重复")
    elif operator == "+":
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            _refuse_long(len(left) + len(right), "文字或列表相加")
    elif operator == "%" and isinstance(left, str):
        raise SecurityError("模板不支持用“%”格式化文字")


# -- text-building calls checked before they run ----------------------------


def _replaced_size(text: str, old: Any, new: Any, count: Any = -1) -> int | None:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return None
    times = text.count(old) if old else len(text) + 1
    if _is_int(count) and count >= 0:
        times = min(times, count)
    return len(text) + times * (len(new) - len(old))


def _joined_size(separator: str, items: list[Any]) -> int:
    return sum(len(x) if isinstance(x, str) else len(str(x)) for x in items) + len(separator) * max(len(items) - 1, 0)


def _checked_str_call(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    name, text = method.__name__, method.__self__
    if name == "replace" and len(args) >= 2:
        size = _replaced_size(text, *args[:3])
        if size is not None:
            _refuse_long(size, "文字替换")
    elif name == "join" and len(args) == 1:
        items = list(args[0])
        _refuse_long(_joined_size(text, items), "文字连接")
        args = (items,)
    return args, kwargs


# -- filters ---------------------------------------------------------------


def _is_user_text(value: Any) -> bool:
    if isinstance(value, UserText):
        return True
    return isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], UserText)


def guarded_filter(function: Any) -> Any:
    """``function`` as a filter that counts against the budget; text made from data stays marked as data."""
    passes_arg = getattr(function, "jinja_pass_arg", None) is not None

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _tick()
        result = function(*args, **kwargs)
        _charge(_size(result))
        value = args[1] if passes_arg and len(args) > 1 else (args[0] if args else None)
        if isinstance(result, str) and not isinstance(result, UserText) and _is_user_text(value):
            result = UserText(result)
        return result

    return wrapper


@pass_environment
def _join(environment: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    items = list(value)
    if attribute is not None:
        items = list(map(jinja2.filters.make_attrgetter(environment, attribute), items))
    texts = [str(item) for item in items]
    separator = str(d)
    _refuse_long(_joined_size(separator, texts), "join 连接")
    return separator.join(texts)


def _replace(value: Any, old: Any, new: Any, count: Any = None) -> str:
    text = str(value)
    size = _replaced_size(text, str(old), str(new), -1 if count is None else count)
    if size is not None:
        _refuse_long(size, "replace 替换")
    return text.replace(str(old), str(new), -1 if count is None else count)


@pass_environment
def _sum(environment: Any, iterable: Iterable[Any], attribute: Any = None, start: Any = 0) -> Any:
    if not isinstance(start, (int, float, Decimal)):
        raise ValueError("sum 只能对数字求和")
    if attribute is not None:
        iterable = map(jinja2.filters.make_attrgetter(environment, attribute), iterable)
    return sum(iterable, start)


@pass_context
def _loop(context: Any, iterable: Any) -> Iterator[Any]:
    budget = _budget.get()
    for item in iterable:
        if budget is not None:
            budget.loop()
        yield item


@pass_context
def _concat(context: Any, values: list[Any]) -> str:
    texts = [v if isinstance(v, str) else str(v) for v in values]
    size = sum(len(t) for t in texts)
    _refuse_long(size, "文字拼接（~）")
    _charge(size)
    joined = "".join(texts)
    return UserText(joined) if _starts_with_data(texts) else joined


def _starts_with_data(pieces: list[Any]) -> bool:
    """Whether the first non-empty piece is data (so the joined text starts with data)."""
    first = next((piece for piece in pieces if piece != ""), None)
    return isinstance(first, UserText)


def make_filters(own: dict[str, Any]) -> dict[str, Any]:
    """Every filter a template may use: our own, the safe Jinja ones, and the guards of rewritten source."""
    chosen = {name: jinja2.filters.FILTERS[name] for name in SAFE_JINJA_FILTERS}
    chosen.update(join=_join, replace=_replace, sum=_sum)
    chosen.update(own)
    filters = {name: guarded_filter(function) for name, function in chosen.items()}
    filters[LOOP_FILTER] = _loop
    filters[CONCAT_FILTER] = _concat
    return filters


def bounded_range(*args: Any) -> range:
    """``range`` with at most ``limits.MAX_RANGE`` items."""
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = limits.MAX_RANGE + 1
    if count > limits.MAX_RANGE:
        raise TemplateLimitError(f"range 最多{limits.MAX_RANGE:,}项，这里要的项数过多")
    return numbers


GLOBALS: dict[str, Any] = {
    "range": bounded_range,
    "dict": dict,
    "namespace": Namespace,
    "cycler": Cycler,
    "joiner": Joiner,
}
_CALLABLE_GLOBALS = tuple(GLOBALS.values())


def counted_output(value: Any) -> str:
    """A piece of output as text, counted against the running render's budget."""
    text = value if isinstance(value, str) else str(value)
    budget = _budget.get()
    if budget is not None:
        budget.emit(len(text))
    return text


@pass_context
def finalize(context: Any, value: Any) -> str:
    """Every piece of output (``{{ }}`` and literal text) is counted; data that would start a markup line is marked."""
    text = value if isinstance(value, str) else str(value)  # counted_output, inlined: called for every piece
    budget = _budget.get()
    if budget is not None:
        budget.emit(len(text))
    if type(text) is UserText and text.startswith(MARKUP_LINE_STARTS):
        return VALUE_MARK + text
    return text


def escape_value_line_starts(text: str) -> str:
    """A data value at the start of a rendered line is escaped (``\\#…``): data never becomes structure."""
    if VALUE_MARK not in text:
        return text
    lines = []
    for line in text.splitlines(keepends=True):
        body = line.lstrip()
        if body.startswith(VALUE_MARK):
            line = line[: len(line) - len(body)] + "\\" + body[1:]
        lines.append(line)
    return "".join(lines).replace(VALUE_MARK, "")


# -- rewriting parsed templates ---------------------------------------------


class _Guard(NodeTransformer):
    """Routes loops, ``~`` and literal text through the budget."""

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [
            nodes.Const(child.data, lineno=child.lineno) if isinstance(child, nodes.TemplateData) else child
            for child in node.nodes
        ]
        return node

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, LOOP_FILTER, [], [], None, None, lineno=node.iter.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        values = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(values, CONCAT_FILTER, [], [], None, None, lineno=node.lineno)


# -- the environment -------------------------------------------------------


def _allowed_attributes(obj: Any) -> frozenset[str]:
    if isinstance(obj, (Namespace, jinja2.environment.TemplateModule)):
        return _ANY
    if isinstance(obj, str):
        return _STR_METHODS
    if isinstance(obj, dict):
        return _DICT_METHODS
    if isinstance(obj, tuple) and isinstance(getattr(type(obj), "_fields", None), tuple):
        return _SEQUENCE_METHODS | frozenset(type(obj)._fields)  # e.g. groupby's (grouper, list)
    if isinstance(obj, (list, tuple)):
        return _SEQUENCE_METHODS
    if isinstance(obj, date):
        return _DATE_ATTRIBUTES
    if isinstance(obj, LoopContext):
        return _LOOP_ATTRIBUTES
    if isinstance(obj, Cycler):
        return _CYCLER_ATTRIBUTES
    if isinstance(obj, BlockReference):
        return frozenset({"super"})
    return frozenset()


def _attribute_allowed(obj: Any, name: str) -> bool:
    if not isinstance(name, str) or name.startswith("_"):
        return False
    allowed = _allowed_attributes(obj)
    return allowed is _ANY or name in allowed


_SUBSCRIPTABLE = (dict, list, tuple, str, range, TemplateReference)


class DraftingSandbox(SandboxedEnvironment):
    """SandboxedEnvironment with an allowlist and a budget (module docstring)."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return _attribute_allowed(obj, attr)

    def is_safe_callable(self, obj: Any) -> bool:
        if any(obj is allowed for allowed in _CALLABLE_GLOBALS):
            return True
        if isinstance(obj, (Macro, BlockReference, LoopContext, Joiner)):
            return True
        if isinstance(obj, (types.BuiltinMethodType, types.MethodType)):
            owner = getattr(obj, "__self__", None)
            return owner is not None and not isinstance(owner, types.ModuleType) and _attribute_allowed(owner, obj.__name__)
        return False

    def getattr(self, obj: Any, attribute: str) -> Any:
        budget = _budget.get()  # _tick(), inlined
        if budget is not None:
            budget.tick()
        if type(obj) is dict:  # the commonest case (plain data); not Undefined
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                pass
            return self._attribute(obj, attribute, item_fallback=False)
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()  # the first refused or missing name is the one to report
        if isinstance(obj, dict):  # data keys first: meeting.items is the key "items" when there is one
            try:
                return obj[attribute]
            except (TypeError, LookupError):
                pass
        return self._attribute(obj, attribute, item_fallback=not isinstance(obj, dict))

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()
        if isinstance(obj, _SUBSCRIPTABLE):
            try:
                return obj[argument]
            except (TypeError, LookupError):
                pass
        if isinstance(argument, str):
            return self._attribute(obj, argument, item_fallback=False)
        return self.undefined(obj=obj, name=argument)

    def _attribute(self, obj: Any, name: str, item_fallback: bool) -> Any:
        if _attribute_allowed(obj, name):
            try:
                return getattr(obj, name)
            except AttributeError:
                pass
        elif name.startswith("_") or hasattr(type(obj), name):
            return self.unsafe_undefined(obj, name)
        if item_fallback and isinstance(obj, _SUBSCRIPTABLE):
            try:
                return obj[name]
            except (TypeError, LookupError):
                pass
        return self.undefined(obj=obj, name=name)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        return self.undefined(f"不允许访问“{attribute}”", name=attribute, obj=obj, exc=SecurityError)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        _check_binop(operator, left, right)
        result = self.binop_table[operator](left, right)
        _charge(_size(result))
        if operator == "+" and isinstance(result, str) and _starts_with_data([left, right]):
            result = UserText(result)
        return result

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - jinja2's signature
        budget = _budget.get()
        if budget is not None:
            budget.tick()
            budget.check_depth()
        if isinstance(__obj, Undefined):
            __obj._fail_with_undefined_error()
        if not __self.is_safe_callable(__obj):
            name = getattr(__obj, "__name__", None) or type(__obj).__name__
            raise SecurityError(f"不允许调用“{name}”")
        if isinstance(__obj, types.BuiltinMethodType) and isinstance(getattr(__obj, "__self__", None), str):
            args, kwargs = _checked_str_call(__obj, args, kwargs)
        result = __context.call(__obj, *args, **kwargs)
        _charge(_size(result))
        return result

    def _load_template(self, name: Any, globals: Any) -> Any:
        budget = _budget.get()
        if budget is not None:
            budget.tick()
            budget.check_depth()
        return super()._load_template(name, globals)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _Guard().visit(super()._parse(source, name, filename))
        tree.set_environment(self)
        return tree
