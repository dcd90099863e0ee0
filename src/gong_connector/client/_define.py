"""How an action is declared once and becomes a method of both clients.

An action is one method in a resource class (``_calls.py``, ``_meetings.py``...), written
like a FastAPI endpoint: the decorator names the HTTP method, path and scope, each
parameter's ``Annotated`` marker says where it goes on the wire, its kind, help and
example, the return annotation names the output model, and the docstring describes it.
The body is never run (it is ``...``); everything is read from the declaration.

From that one declaration come the sync and async client methods with their real
signatures, the request each call sends, the registry, the manifest, the CLI help and the
MCP tools. No other file lists an action's inputs.
"""

from __future__ import annotations

import builtins
import functools
import inspect
import re
import typing
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, Generic, Literal, ParamSpec, TypeVar, overload
from urllib.parse import quote

from ..errors import ValidationError
from ._kinds import FILE, ID, TEXT, Choice, Kind, Model, Models, Text
from ._media import MediaUpload, ProgressCallback
from ._models import BaseResponse, GongModel

if TYPE_CHECKING:
    from ._paging import AsyncPager, Pager

__all__ = [
    "Action",
    "AsyncSender",
    "Body",
    "Cursor",
    "Exclusive",
    "Filter",
    "Input",
    "ListAction",
    "ListOperation",
    "Operation",
    "Paging",
    "Path",
    "Query",
    "SingleAction",
    "SyncSender",
    "Upload",
    "action",
    "custom_action",
    "list_action",
]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T", bound=GongModel)

Location = Literal["path", "query", "body", "filter", "multipart"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]


# --------------------------------------------------------------------------- parameter markers


@dataclass(frozen=True)
class In:
    """Where a parameter goes and what it is; used inside ``Annotated[...]``."""

    location: Location | Literal["cursor", "local"]
    kind: Kind = TEXT
    wire: str | None = None
    help: str = ""
    label: str | None = None
    example: Any = None
    #: What Gong does when the input is left out, for forms (the Python default is None).
    default: Any = None
    #: This ``Body`` input is the whole JSON body (a list, for two CRM actions), not a field of it.
    whole: bool = False


def Path(kind: Kind = ID, *, wire: str | None = None, **kw: Any) -> In:
    """A path parameter (``/v2/calls/{id}``)."""
    return In("path", kind, wire, **kw)


def Query(kind: Kind = TEXT, *, wire: str | None = None, **kw: Any) -> In:
    """A query-string parameter."""
    return In("query", kind, wire, **kw)


def Body(kind: Kind = TEXT, *, wire: str | None = None, **kw: Any) -> In:
    """A field of the JSON body."""
    return In("body", kind, wire, **kw)


def Filter(kind: Kind = TEXT, *, wire: str | None = None, **kw: Any) -> In:
    """A field of the JSON body's ``filter`` object (Gong's POST listings)."""
    return In("filter", kind, wire, **kw)


def Upload(kind: Kind = FILE, *, wire: str | None = None, **kw: Any) -> In:
    """A part of the multipart upload."""
    return In("multipart", kind, wire, **kw)


def Local(kind: Kind = TEXT, **kw: Any) -> In:
    """An input the client uses itself and never sends as such (raw-request options)."""
    return In("local", kind, None, **kw)


def Cursor() -> In:
    """The paging cursor: in the query for GET listings, in the body for POST ones."""
    return In("cursor", TEXT, "cursor", help="Cursor from the previous page, to fetch the next one.")


# --------------------------------------------------------------------------- the declaration


def _camel(name: str) -> str:
    first, *others = name.split("_")
    return first + "".join(o.title() for o in others)


_LABEL_WORDS = {"crm": "CRM"}


def _label(name: str) -> str:
    return " ".join(_LABEL_WORDS.get(w, w.capitalize()) for w in name.split("_"))


@dataclass(frozen=True)
class Input:
    """One input of an action, as the client checks it and as a form or CLI shows it."""

    key: str
    label: str
    kind: Kind
    required: bool = False
    default: Any = None
    help: str = ""
    wire: str | None = None
    location: Location | Literal["local"] | None = None
    example: Any = None
    secret: bool = False
    #: The whole JSON body is this input's value (see ``In.whole``).
    whole: bool = False

    @property
    def name(self) -> str:
        """The Python keyword (the same as ``key``)."""
        return self.key

    @property
    def type(self) -> str:
        """The kind's name, as the manifest lists it."""
        return self.kind.name

    @property
    def choices(self) -> tuple[str, ...]:
        return self.kind.values if isinstance(self.kind, Choice) else ()

    @property
    def max_length(self) -> int | None:
        return self.kind.max_length if isinstance(self.kind, Text) else None

    @property
    def model(self) -> builtins.type[Any] | None:
        return self.kind.model if isinstance(self.kind, Model | Models) else None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "help": self.help,
        }
        if self.example is not None:
            data["example"] = self.example
        if self.choices:
            data["choices"] = list(self.choices)
        if self.max_length is not None:
            data["maxLength"] = self.max_length
        if self.wire is not None:
            data["wire"] = self.wire
        if self.secret:
            data["secret"] = True
        return data


@dataclass(frozen=True)
class Paging:
    """How a list action pages: the field holding the items and where the cursor goes."""

    items_field: str
    item_model: type[Any]
    cursor_location: Literal["query", "body"]
    #: Gong answers an empty result with 404 on list endpoints; read it as "no items".
    empty_on_404: bool = True


@dataclass(frozen=True)
class Exclusive:
    """Two inputs that must not be given together (``a[].b`` looks inside list items)."""

    first: str
    second: str
    reason: str


@dataclass(frozen=True, eq=False)
class Action:
    """Everything about one action, read from its declaration."""

    key: str  # "list-calls"
    name: str  # the display name ("List Calls"), the spec's where the spec has the action
    method: str  # the client method ("list_calls")
    summary: str  # the docstring's first line
    doc: str
    http_method: str
    path: str
    scope: str | None
    inputs: tuple[Input, ...]
    result: Any  # the return annotation: a model, Pager[model] or RawResponse
    response_model: type[Any] | None = None
    result_field: str | None = None
    paging: Paging | None = None
    retry_safe: bool = False
    read_only: bool = False
    destructive: bool = False
    in_spec: bool = True
    exclusive: tuple[Exclusive, ...] = ()
    #: The inputs that bound a date window the pager may cut if Gong refuses it as too long.
    window: tuple[str, str] | None = None
    body: Literal["json", "multipart"] | None = None
    #: Builds the operation itself (the raw request); None for the declarative ones.
    builder: Callable[..., Operation[Any]] | None = field(default=None, repr=False)
    signature: inspect.Signature = field(default_factory=inspect.Signature, repr=False)

    @property
    def description(self) -> str:
        text = self.summary
        if self.paging is not None:
            text += " Returns one page and a cursor for the next."
        return f"{text} Needs the {self.scope} scope." if self.scope else text

    @property
    def paged(self) -> bool:
        return self.paging is not None

    @property
    def idempotent(self) -> bool:
        return self.retry_safe

    @property
    def input_keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.inputs)

    def input(self, key: str) -> Input:
        return next(i for i in self.inputs if i.key == key)

    def bind(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """The call's arguments by name; ``TypeError`` for unknown or missing ones, as Python."""
        params = self.signature.parameters
        if not args and kwargs.keys() <= params.keys() and self._required <= kwargs.keys():
            return dict(kwargs)
        return dict(self.signature.bind(*args, **kwargs).arguments)

    @functools.cached_property
    def _required(self) -> frozenset[str]:
        return frozenset(n for n, p in self.signature.parameters.items() if p.default is inspect.Parameter.empty)

    # ------------------------------------------------------------------ requests

    def operation(self, client: Any, values: dict[str, Any]) -> Operation[Any] | ListOperation[Any]:
        """The checked request for these arguments; nothing is sent."""
        if self.builder is not None:
            return self.builder(client, **values)
        progress = values.pop("progress", None)
        prepared = prepare(self, values, progress=progress)
        body = prepared.body if isinstance(prepared.body, Mapping) else {"body": prepared.body}
        for name, value in (*prepared.query.items(), *body.items()):
            _whole_text(value, name)
        if self.paging is not None:
            cursor = values.get("cursor")
            if cursor is not None:
                CURSOR.check("cursor", cursor)
            prepared.query.pop("cursor", None)
            if prepared.body is not None:
                prepared.body.pop("cursor", None)
            window = None
            if self.window is not None:
                start, end = (prepared.sent.get(name) for name in self.window)
                window = (start, end)
            return ListOperation(
                self, prepared.path, prepared.query, prepared.body, self.paging.item_model, cursor, window
            )
        if self.body == "multipart":
            return Operation(self, prepared.path, prepared.query, None, upload=prepared.upload)
        return Operation(self, prepared.path, prepared.query, prepared.body, then_upload=prepared.upload)

    def parse(self, data: Any) -> Any:
        """The single result from Gong's decoded JSON answer."""
        body = data if isinstance(data, dict) else {}
        model = self.response_model
        if model is None:
            return body
        if self.result_field is None:
            return model.model_validate(body)
        if self.result_field in body:
            return model.model_validate(body[self.result_field])
        return BaseResponse.model_validate(body)  # an answer without the field: its envelope


#: A cursor as Gong gives one (a few hundred characters); far longer is no cursor, and as a
#: query parameter would be refused inside httpx.
CURSOR = Text(max_length=8192)


def _whole_text(value: Any, where: str) -> None:
    """Half a surrogate pair (a file name read with ``surrogateescape``, an emoji cut in two)
    has no UTF-8: refused here, naming where it is, not deep in the HTTP library."""
    if isinstance(value, str):
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError as exc:
                half = f"half a surrogate pair ({value[exc.start]!r})"
                raise ValidationError(where, "unicode", f"holds {half}, which is not text") from None
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _whole_text(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            _whole_text(item, f"{where}[{n}]")


@dataclass
class Operation(Generic[R]):
    """A checked request for one action, plus how to read its answer."""

    action: Action
    path: str
    query: dict[str, Any]
    #: The JSON body: an object, or a list for an action whose one input is the whole body.
    body: Any
    upload: MediaUpload | None = None
    #: create_call with ``media=``: the recording to upload once the call exists.
    then_upload: MediaUpload | None = None
    #: A raw request builds its own ``httpx.Request`` and has its own retry policy.
    custom: Any = None

    @property
    def retry_safe(self) -> bool:
        return self.action.retry_safe

    def parse(self, data: Any) -> R:
        result: R = self.action.parse(data)
        return result


@dataclass
class ListOperation(Generic[T]):
    """A checked request for a list action; the pager adds the cursor per page."""

    action: Action
    path: str
    query: dict[str, Any]
    body: dict[str, Any] | None
    item_model: type[T]
    cursor: str | None = None
    #: The window's bounds as sent (``fromDateTime``, ``toDateTime``), for windowed listings.
    window: tuple[str | None, str | None] | None = None

    def with_window(self, start: str | None, end: str | None) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """Query and body for one piece of the window (``None`` keeps the caller's bound)."""
        query = dict(self.query)
        body = {**self.body, "filter": dict(self.body.get("filter") or {})} if self.body is not None else None
        if self.action.window is not None:
            for name, value in zip(self.action.window, (start, end), strict=True):
                if value is None:
                    continue
                spec = self.action.input(name)
                wire = spec.wire or name
                if spec.location == "query":
                    query[wire] = value
                elif body is not None:
                    body["filter"][wire] = value
        return query, body


@dataclass
class _Prepared:
    path: str
    query: dict[str, Any]
    body: Any
    upload: MediaUpload | None
    #: Every checked input as it goes on the wire, by Python name.
    sent: dict[str, Any]


def _lookup(values: Mapping[str, Any], wire: Mapping[str, Any], path: str) -> bool:
    """Whether ``a`` or ``a[].b`` is present in the given inputs."""
    head, _, rest = path.partition("[].")
    if not rest:
        return values.get(head) is not None
    items = wire.get(head) or []
    return any(isinstance(i, Mapping) and i.get(_camel(rest)) is not None for i in items)


def prepare(action: Action, values: Mapping[str, Any], *, progress: ProgressCallback | None = None) -> _Prepared:
    """Check every input with its kind and place it on the request."""
    path_args: dict[str, str] = {}
    whole: Any = None
    query: dict[str, Any] = {}
    body: dict[str, Any] = {}
    filt: dict[str, Any] = {}
    by_name: dict[str, Any] = {}
    for spec in action.inputs:
        value = values.get(spec.key)
        if value is None:
            if spec.required:
                raise ValidationError(spec.key, "required", "is required")
            continue
        if spec.location == "multipart":
            continue
        converted = spec.kind.check(spec.key, value)
        by_name[spec.key] = converted
        wire = spec.wire or spec.key
        match spec.location:
            case "path":
                path_args[wire] = quote(converted, safe="")
            case "query":
                query[wire] = ("true" if converted else "false") if isinstance(converted, bool) else converted
            case "body" if spec.whole:
                whole = converted
            case "body":
                body[wire] = converted
            case "filter":
                filt[wire] = converted
    for rule in action.exclusive:
        if _lookup(values, by_name, rule.first) and _lookup(values, by_name, rule.second):
            raise ValidationError(rule.first, "exclusive", rule.reason)
    if action.window is not None:
        first, last = action.window
        start, end = by_name.get(first), by_name.get(last)
        if start is not None and end is not None and datetime.fromisoformat(end) <= datetime.fromisoformat(start):
            raise ValidationError(last, "window", f"must be later than {first}")
    upload: MediaUpload | None = None
    file_name = values.get("file_name")
    if file_name is not None:
        Text(max_length=255).check("file_name", file_name)
    media = values.get("media")
    if media is not None:
        upload = MediaUpload(media, file_name=file_name, progress=progress)
    if action.body == "json" and action.paging is not None and action.http_method == "POST":
        body["filter"] = filt
    sent_body: Any = (whole if whole is not None else body) if action.body == "json" else None
    return _Prepared(action.path.format(**path_args), query, sent_body, upload, by_name)


# --------------------------------------------------------------------------- binding to clients


class SyncSender:
    """Marker base of the blocking client: action attributes become plain methods on it."""

    @classmethod
    def _action_function(cls, action: Action) -> Callable[..., Any]:
        raise NotImplementedError


class AsyncSender:
    """Marker base of the async client: action attributes become coroutine methods on it."""

    @classmethod
    def _action_function(cls, action: Action) -> Callable[..., Any]:
        raise NotImplementedError


_FUNCTIONS: dict[tuple[type, Action], Callable[..., Any]] = {}


def method_signature(action: Action, result: str) -> inspect.Signature:
    """The definition's signature with the client's result type, so ``inspect.signature``,
    ``help()`` and the CLI or MCP layers see real arguments."""
    return action.signature.replace(return_annotation=result)


def _result_text(action: Action, pager: str) -> str:
    if action.paging is not None:
        return f"{pager}[{action.paging.item_model.__name__}]"
    result = action.result
    return getattr(result, "__name__", str(result))


def client_function(owner: type, action: Action) -> Callable[..., Any]:
    """The real function behind ``owner.<action>`` (made once per client class)."""
    key = (owner, action)
    func = _FUNCTIONS.get(key)
    if func is None:
        func = owner._action_function(action)  # type: ignore[attr-defined]
        pager = "AsyncPager" if issubclass(owner, AsyncSender) else "Pager"
        self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
        sig = method_signature(action, _result_text(action, pager))
        func.__signature__ = sig.replace(parameters=[self_param, *sig.parameters.values()])
        func.__name__ = action.method
        func.__qualname__ = f"{owner.__name__}.{action.method}"
        func.__doc__ = action.doc
        func.__module__ = owner.__module__
        _FUNCTIONS[key] = func
    return func


class _Descriptor:
    def __init__(self, action: Action) -> None:
        self.action = action

    def __set_name__(self, owner: type, name: str) -> None:
        if name != self.action.method:  # pragma: no cover - a declaration error
            raise TypeError(f"action {self.action.method} bound as {name}")

    def _get(self, obj: object, owner: type | None) -> Any:
        owner = owner if owner is not None else type(obj)
        if not issubclass(owner, SyncSender | AsyncSender):
            return self
        func = client_function(owner, self.action)
        return func if obj is None else func.__get__(obj, owner)


class SingleAction(_Descriptor, Generic[P, R]):
    """An action returning one result: ``R`` from the blocking client, awaitable from the async."""

    if TYPE_CHECKING:

        @overload
        def __get__(self, obj: SyncSender, owner: type | None = None) -> Callable[P, R]: ...
        @overload
        def __get__(self, obj: AsyncSender, owner: type | None = None) -> Callable[P, Coroutine[Any, Any, R]]: ...
        @overload
        def __get__(self, obj: object, owner: type | None = None) -> SingleAction[P, R]: ...
        def __get__(self, obj: object, owner: type | None = None) -> Any: ...
    else:
        __get__ = _Descriptor._get


class ListAction(_Descriptor, Generic[P, T]):
    """A paged action: a lazy ``Pager`` (or ``AsyncPager``) of ``T`` items."""

    if TYPE_CHECKING:

        @overload
        def __get__(self, obj: SyncSender, owner: type | None = None) -> Callable[P, Pager[T]]: ...
        @overload
        def __get__(self, obj: AsyncSender, owner: type | None = None) -> Callable[P, AsyncPager[T]]: ...
        @overload
        def __get__(self, obj: object, owner: type | None = None) -> ListAction[P, T]: ...
        def __get__(self, obj: object, owner: type | None = None) -> Any: ...
    else:
        __get__ = _Descriptor._get


# --------------------------------------------------------------------------- decorators


def _doc(func: Callable[..., Any]) -> tuple[str, str]:
    doc = inspect.cleandoc(func.__doc__ or "")
    if not doc:
        raise TypeError(f"action {func.__name__} needs a docstring")
    summary = re.sub(r"\s+", " ", doc.split("\n\n")[0]).strip()
    return summary, doc


def _inputs(
    func: Callable[..., Any], hints: dict[str, Any], method: str
) -> tuple[tuple[Input, ...], inspect.Signature]:
    sig = inspect.signature(func)
    params = list(sig.parameters.values())[1:]  # without self
    inputs: list[Input] = []
    for param in params:
        marker = next(
            (m for m in getattr(hints.get(param.name), "__metadata__", ()) if isinstance(m, In)),
            None,
        )
        if marker is None:
            if param.name == "progress":  # a callback, not an input
                continue
            raise TypeError(f"{func.__name__}({param.name}): annotate it with Path/Query/Body/... metadata")
        location = marker.location
        if location == "cursor":
            location = "query" if method == "GET" else "body"
        py_default = None if param.default is inspect.Parameter.empty else param.default
        help_text = marker.help
        if marker.kind.hint and marker.kind.hint not in help_text:
            help_text = f"{help_text} {marker.kind.hint}".strip()
        inputs.append(
            Input(
                key=param.name,
                label=marker.label or _label(param.name),
                kind=marker.kind,
                required=param.default is inspect.Parameter.empty,
                default=py_default if py_default is not None else marker.default,
                help=help_text,
                wire=None if location == "local" else (marker.wire or _camel(param.name)),
                location=location,
                example=marker.example if marker.example is not None else marker.kind.example,
                whole=marker.whole,
            )
        )
    # Signatures show the runtime annotations, not the Annotated metadata.
    plain = [p.replace(annotation=_strip_annotated(hints.get(p.name, p.annotation))) for p in params]
    return tuple(inputs), sig.replace(parameters=plain, return_annotation=inspect.Signature.empty)


def _strip_annotated(hint: Any) -> Any:
    return typing.get_args(hint)[0] if typing.get_origin(hint) is typing.Annotated else hint


def _declare(
    func: Callable[..., Any],
    http_method: HttpMethod,
    path: str,
    *,
    scope: str | None,
    title: str | None,
    items: str | None,
    result: str | None,
    retry_safe: bool | None,
    read_only: bool | None,
    destructive: bool | None,
    in_spec: bool,
    exclusive: tuple[Exclusive, ...],
    builder: Callable[..., Any] | None = None,
    key: str | None = None,
    window: tuple[str, str] | None = None,
) -> Action:
    summary, doc = _doc(func)
    hints = typing.get_type_hints(func, include_extras=True)  # evaluated once: the import's costliest step
    inputs, sig = _inputs(func, hints, http_method)
    returned = hints.get("return")
    paging: Paging | None = None
    response_model: type[Any] | None = None
    if items is not None:
        args = typing.get_args(returned)
        if not args:  # pragma: no cover - a declaration error
            raise TypeError(f"{func.__name__}: a list action returns Pager[Model]")
        paging = Paging(items, args[0], "query" if http_method == "GET" else "body")
    elif builder is None:
        response_model = returned
    locations = {i.location for i in inputs}
    body: Literal["json", "multipart"] | None = None
    if locations & {"body", "filter"} or (paging is not None and http_method == "POST"):
        body = "json"
    elif "multipart" in locations:
        body = "multipart"
    for spec in inputs:
        if spec.location == "path" and "{" + (spec.wire or "") + "}" not in path:  # pragma: no cover
            raise TypeError(f"{func.__name__}: path parameter {spec.key} is not in {path}")
    return Action(
        key=key or func.__name__.replace("_", "-"),
        name=title or _label(func.__name__),
        method=func.__name__,
        summary=summary,
        doc=doc,
        http_method=http_method,
        path=path,
        scope=scope,
        inputs=inputs,
        result=returned,
        response_model=response_model,
        result_field=result,
        paging=paging,
        retry_safe=retry_safe if retry_safe is not None else http_method == "GET",
        read_only=read_only if read_only is not None else (http_method == "GET" or paging is not None),
        destructive=destructive if destructive is not None else http_method == "DELETE",
        in_spec=in_spec,
        exclusive=exclusive,
        window=window,
        body=body,
        builder=builder,
        signature=sig,
    )


def action(
    http_method: HttpMethod,
    path: str,
    *,
    scope: str | None,
    title: str | None = None,
    result: str | None = None,
    retry_safe: bool | None = None,
    read_only: bool | None = None,
    destructive: bool | None = None,
    in_spec: bool = True,
    exclusive: tuple[Exclusive, ...] = (),
) -> Callable[[Callable[Concatenate[Any, P], R]], SingleAction[P, R]]:
    """Declare an action that returns one result (the whole answer, or its ``result`` field)."""

    def decorate(func: Callable[Concatenate[Any, P], R]) -> SingleAction[P, R]:
        spec = _declare(
            func,
            http_method,
            path,
            scope=scope,
            title=title,
            items=None,
            result=result,
            retry_safe=retry_safe,
            read_only=read_only,
            destructive=destructive,
            in_spec=in_spec,
            exclusive=exclusive,
        )
        return SingleAction(spec)

    return decorate


def list_action(
    http_method: HttpMethod,
    path: str,
    *,
    scope: str | None,
    items: str,
    title: str | None = None,
    retry_safe: bool = True,
    in_spec: bool = True,
    exclusive: tuple[Exclusive, ...] = (),
    window: tuple[str, str] | None = None,
) -> Callable[[Callable[Concatenate[Any, P], Pager[T]]], ListAction[P, T]]:
    """Declare a paged action; ``items`` names the field of each page holding the items, and
    ``window`` the two inputs bounding its date window (cut by the pager if Gong refuses it)."""

    def decorate(func: Callable[Concatenate[Any, P], Pager[T]]) -> ListAction[P, T]:
        spec = _declare(
            func,
            http_method,
            path,
            scope=scope,
            title=title,
            items=items,
            result=None,
            retry_safe=retry_safe,
            read_only=True,
            destructive=False,
            in_spec=in_spec,
            exclusive=exclusive,
            window=window,
        )
        return ListAction(spec)

    return decorate


def custom_action(
    *,
    key: str,
    title: str,
    path: str = "*",
    read_only: bool = False,
    destructive: bool = True,
) -> Callable[[Callable[Concatenate[Any, P], Operation[R]]], SingleAction[P, R]]:
    """Declare an action whose body builds its own operation (the raw request)."""

    def decorate(func: Callable[Concatenate[Any, P], Operation[R]]) -> SingleAction[P, R]:
        spec = _declare(
            func,
            "GET",
            path,
            scope=None,
            title=title,
            items=None,
            result=None,
            retry_safe=False,
            read_only=read_only,
            destructive=destructive,
            in_spec=True,
            exclusive=(),
            builder=func,
            key=key,
        )
        returned = typing.get_args(typing.get_type_hints(func).get("return"))
        object.__setattr__(spec, "result", returned[0] if returned else None)
        object.__setattr__(spec, "http_method", "*")
        return SingleAction(spec)

    return decorate


def declared_actions(client_class: type) -> dict[str, Action]:
    """Every action a client class is made of, by method name, in declaration order."""
    found: dict[str, Action] = {}
    for cls in reversed(client_class.__mro__):
        for name, attr in vars(cls).items():
            if isinstance(attr, _Descriptor):
                found[name] = attr.action
    return found
