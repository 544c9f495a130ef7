"""Tracking categories and their options: reads, writes and the canonical models.

Rules (https://developer.xero.com/documentation/api/accounting/trackingcategories; spec
``components.schemas.TrackingCategory`` / ``TrackingOption``):

- At most 2 ``ACTIVE`` tracking categories per organisation (creating a third, or re-activating an archived one
  beyond the limit, is refused).
- ``Name`` is required, at most 100 characters, unique among the organisation's categories (case-insensitive);
  option names are required, at most 100 characters and unique within their category ("For each specified
  tracking option the name must be unique", seen in a real Xero answer).
- ``Status``: ``ACTIVE`` or ``ARCHIVED`` on update; ``DELETED`` is reached through the DELETE operations only,
  and only for a category or option never used on a transaction line (used ones can be archived instead).
  Archived categories and options stay on the lines that carry them but cannot be chosen for new lines.
- ``GET /TrackingCategories`` lists active categories with their active options; ``includeArchived=true`` adds
  archived categories and options. ``GET /TrackingCategories/{id}`` shows the category whatever its status.
- ``PUT /TrackingCategories`` creates the category only: options are created with
  ``PUT /TrackingCategories/{id}/Options`` (an ``Options`` list in the category body is not read; unconfirmed).
- Renaming a category or an option renames it on every line that carries it (:func:`tracking.relabel`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models.catalogue import TrackingCategory as CategoryModel
from gateway.xero.models.catalogue import TrackingOption as OptionModel

from . import messages, tracking
from .books import Books
from .models_catalogue import TrackingCategory, TrackingOption
from .validation import ElementInvalid, parse_element, provided, text

MAX_ACTIVE_CATEGORIES = 2
MAX_NAME = 100
UPDATE_STATUSES = ("ACTIVE", "ARCHIVED")


async def categories(books: Books) -> list[TrackingCategory]:
    """Every tracking category of the company (any status)."""
    return list(await books.session.scalars(
        select(TrackingCategory).where(TrackingCategory.company_id == books.company.id)))


async def get_category(books: Books, category_id: str) -> TrackingCategory:
    """A category of the company by id.

    Raises:
        NotFound: no such category.
    """
    row = await books.session.get(TrackingCategory, normalise_guid(category_id) or "")
    if row is None or row.company_id != books.company.id:
        raise NotFound()
    return row


def get_option(category: TrackingCategory, option_id: str) -> TrackingOption:
    """An option of ``category`` by id.

    Raises:
        NotFound: no such option in that category.
    """
    guid = normalise_guid(option_id) or ""
    for option in category.options:
        if option.id == guid:
            return option
    raise NotFound()


def option_model(row: TrackingOption) -> OptionModel:
    """A ``TrackingOption`` element (``TrackingOptionID``, ``Name``, ``Status``)."""
    return OptionModel(TrackingOptionID=row.id, Name=row.name, Status=row.status)


def category_model(row: TrackingCategory, *, include_archived: bool = True) -> CategoryModel:
    """A ``TrackingCategory`` element with its ``Options`` (archived ones only with ``include_archived``)."""
    options = [option_model(o) for o in row.options
               if o.status == "ACTIVE" or (include_archived and o.status == "ARCHIVED")]
    return CategoryModel(TrackingCategoryID=row.id, Name=row.name, Status=row.status, Options=options)


def _check_name(name: str | None, errors: list[str]) -> str | None:
    name = text(name)
    if name is None:
        errors.append(messages.TRACKING_NAME_REQUIRED)
    elif len(name) > MAX_NAME:
        errors.append(messages.TRACKING_NAME_TOO_LONG)
    return name


async def _active_count(books: Books, *, excluding: str | None = None) -> int:
    query = select(func.count()).select_from(TrackingCategory).where(
        TrackingCategory.company_id == books.company.id, TrackingCategory.status == "ACTIVE")
    if excluding:
        query = query.where(TrackingCategory.id != excluding)
    return int(await books.session.scalar(query) or 0)


async def _name_taken(books: Books, name: str, *, excluding: str | None = None) -> bool:
    for row in await categories(books):
        if row.id != excluding and row.name.strip().lower() == name.lower():
            return True
    return False


async def write_category(books: Books, element: dict[str, Any], *, category_id: str | None = None
                         ) -> TrackingCategory:
    """Create (``category_id`` ``None``) or update one tracking category (``Name``, ``Status``).

    Returns:
        The written row (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: update of an unknown category.
    """
    model = parse_element(CategoryModel, element)
    existing = await get_category(books, category_id) if category_id is not None else None
    errors: list[str] = []
    name = existing.name if existing is not None and not provided(model, "Name") else _check_name(model.Name, errors)
    if name is not None and await _name_taken(books, name, excluding=existing.id if existing else None):
        errors.append(messages.TRACKING_CATEGORY_NAME_UNIQUE)
    status = model.Status or (existing.status if existing else "ACTIVE")
    if existing is None and model.Status not in (None, "ACTIVE"):
        errors.append(messages.TRACKING_STATUS_INVALID)
    elif status not in UPDATE_STATUSES:
        errors.append(messages.TRACKING_STATUS_INVALID)
    if status == "ACTIVE" and (existing is None or existing.status != "ACTIVE") and await _active_count(
            books, excluding=existing.id if existing else None) >= MAX_ACTIVE_CATEGORIES:
        errors.append(messages.TRACKING_CATEGORY_LIMIT)
    if errors:
        raise ElementInvalid(errors)
    assert name is not None
    if existing is None:
        existing = TrackingCategory(id=books.new_id("tracking_category"), company_id=books.company.id, name=name,
                                    status="ACTIVE", created_utc=books.now(), options=[])
        books.session.add(existing)
    elif existing.name != name:
        await tracking.relabel(books.session, category_id=existing.id, category_name=name)
    existing.name, existing.status = name, status
    await books.session.flush()
    tracking.forget(books)
    return existing


async def delete_category(books: Books, category_id: str) -> CategoryModel:
    """Delete a tracking category never used on a line; answer it with ``Status`` ``DELETED``.

    Raises:
        NotFound: no such category.
        ElementInvalid: the category (or one of its options) is used on a transaction line.
    """
    row = await get_category(books, category_id)
    if await tracking.in_use(books.session, ids=[row.id]):
        raise ElementInvalid([messages.TRACKING_CATEGORY_IN_USE])
    answer = CategoryModel(TrackingCategoryID=row.id, Name=row.name, Status="DELETED", Options=[])
    await books.session.delete(row)
    await books.session.flush()
    tracking.forget(books)
    return answer


def _option_elements(element: dict[str, Any]) -> list[dict[str, Any]]:
    """The options of a ``PUT …/Options`` body: one ``TrackingOption`` or an ``Options`` list of them."""
    options = element.get("Options") if isinstance(element, dict) else None
    if isinstance(options, list):
        return [o if isinstance(o, dict) else {} for o in options]
    return [element]


async def create_options(books: Books, category_id: str, element: dict[str, Any]) -> list[TrackingOption]:
    """Add options to a category (``Name`` each).

    Raises:
        NotFound: no such category.
        ElementInvalid: a name missing, too long, or not unique within the category (nothing written).
    """
    category = await get_category(books, category_id)
    errors: list[str] = []
    taken = {o.name.strip().lower() for o in category.options if o.status != "DELETED"}
    names: list[str] = []
    for raw in _option_elements(element):
        name = _check_name(parse_element(OptionModel, raw).Name, errors)
        if name is None:
            continue
        if name.lower() in taken:
            errors.append(messages.TRACKING_OPTION_NAME_UNIQUE)
        taken.add(name.lower())
        names.append(name)
    if errors:
        raise ElementInvalid(list(dict.fromkeys(errors)))
    created = [TrackingOption(id=books.new_id("tracking_option"), company_id=books.company.id,
                              category_id=category.id, name=name, status="ACTIVE") for name in names]
    category.options.extend(created)
    await books.session.flush()
    tracking.forget(books)
    return created


async def update_option(books: Books, category_id: str, option_id: str, element: dict[str, Any]
                        ) -> TrackingOption:
    """Rename an option or change its ``Status`` (``ACTIVE``/``ARCHIVED``).

    Raises:
        NotFound: no such category or option.
        ElementInvalid: invalid name or status (nothing written).
    """
    category = await get_category(books, category_id)
    option = get_option(category, option_id)
    model = parse_element(OptionModel, element)
    errors: list[str] = []
    name = option.name if not provided(model, "Name") else _check_name(model.Name, errors)
    if name is not None and any(o.id != option.id and o.name.strip().lower() == name.lower()
                                for o in category.options):
        errors.append(messages.TRACKING_OPTION_NAME_UNIQUE)
    status = model.Status or option.status
    if status not in UPDATE_STATUSES:
        errors.append(messages.TRACKING_STATUS_INVALID)
    if errors:
        raise ElementInvalid(errors)
    assert name is not None
    if name != option.name:
        await tracking.relabel(books.session, category_id=category.id, option_id=option.id, option_name=name)
    option.name, option.status = name, status
    await books.session.flush()
    tracking.forget(books)
    return option


async def delete_option(books: Books, category_id: str, option_id: str) -> OptionModel:
    """Delete an option never used on a line; answer it with ``Status`` ``DELETED``.

    Raises:
        NotFound: no such category or option.
        ElementInvalid: the option is used on a transaction line.
    """
    category = await get_category(books, category_id)
    option = get_option(category, option_id)
    if await tracking.in_use(books.session, ids=[option.id]):
        raise ElementInvalid([messages.TRACKING_OPTION_IN_USE])
    answer = OptionModel(TrackingOptionID=option.id, Name=option.name, Status="DELETED")
    category.options.remove(option)
    await books.session.flush()
    tracking.forget(books)
    return answer
