"""Tracking parameters of the reports: which lines a report keeps, and which category splits its columns.

Journal lines carry the tracking of the document line they come from (``JournalLine.tracking``, the stored form
of :mod:`adapters.native.tracking`); control, VAT and bank lines carry none.

ProfitAndLoss (spec parameters ``trackingCategoryID``, ``trackingOptionID``, ``trackingCategoryID2``,
``trackingOptionID2``):

- a category with an option keeps only the lines carrying that option (an option given without its category
  finds its category);
- a category without an option splits the columns: one per option of the category (archived options included,
  by name), then ``Unassigned`` (lines without that category) and ``Total`` — the header a recorded Xero
  response shows (unconfirmed: the spec has no ProfitAndLoss example);
- at most one category may split the columns, and a split cannot be combined with ``periods`` (the native
  ledger's rule; how Xero lays such a report out is unconfirmed): both answer 400 naming the parameters.

BalanceSheet (``trackingOptionID1``, ``trackingOptionID2``): keeps only the lines carrying the option(s); see
:mod:`adapters.native.reports.balance_sheet` for how the kept lines balance.

Unknown ids answer a 400 ``ValidationException`` naming the parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from adapters.native.books import Books
from adapters.native.models_catalogue import TrackingCategory
from adapters.native.tracking import Catalogue
from gateway.xero.parameters import Parameters

from .balances import Line
from .periods import invalid

UNASSIGNED = "Unassigned"


@dataclass(frozen=True)
class Split:
    """Columns by the options of one category.

    Attributes:
        category_id: the splitting category.
        options: ``(TrackingOptionID, Name)`` in column order (``Unassigned`` and ``Total`` follow).
    """

    category_id: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Selection:
    """What the tracking parameters ask for.

    Attributes:
        options: option ids every kept line must carry.
        split: the column split, if any.
    """

    options: tuple[str, ...] = ()
    split: Split | None = None

    def keep(self, line: Line) -> bool:
        """Whether ``line`` carries every required option."""
        carried = {option for _, option in line.tracking}
        return all(option in carried for option in self.options)

    @property
    def filters(self) -> bool:
        """Whether any option is required."""
        return bool(self.options)


def _category(catalogue: Catalogue, name: str, category_id: str) -> TrackingCategory:
    category = catalogue.categories.get(category_id)
    if category is None:
        raise invalid(f"{name} '{category_id}' is not a tracking category of this organisation")
    return category


def _option_category(catalogue: Catalogue, name: str, option_id: str) -> TrackingCategory:
    for category in catalogue.categories.values():
        if any(o.id == option_id for o in category.options):
            return category
    raise invalid(f"{name} '{option_id}' is not a tracking option of this organisation")


def _check_option(category: TrackingCategory, name: str, option_id: str) -> None:
    if not any(o.id == option_id for o in category.options):
        raise invalid(f"{name} '{option_id}' is not an option of tracking category '{category.name}'")


async def for_profit_and_loss(books: Books, params: Parameters, *, periods: int) -> Selection:
    """The ProfitAndLoss tracking selection (module docstring).

    Raises:
        ValidationException: unknown category or option, an option of another category, two splitting
            categories, or a split with ``periods``.
    """
    pairs = (("trackingCategoryID", "trackingOptionID"), ("trackingCategoryID2", "trackingOptionID2"))
    wanted = [(c, o, params.guid(c), params.guid(o)) for c, o in pairs]
    if not any(cid or oid for _, _, cid, oid in wanted):
        return Selection()
    catalogue = await Catalogue.load(books)
    options: list[str] = []
    splits: list[tuple[str, TrackingCategory]] = []
    for c_name, o_name, category_id, option_id in wanted:
        if option_id:
            category = (_category(catalogue, c_name, category_id) if category_id
                        else _option_category(catalogue, o_name, option_id))
            _check_option(category, o_name, option_id)
            options.append(option_id)
        elif category_id:
            splits.append((c_name, _category(catalogue, c_name, category_id)))
    if len(splits) > 1:
        raise invalid("Only one tracking category can split the report's columns: give trackingOptionID "
                      "with trackingCategoryID or trackingOptionID2 with trackingCategoryID2")
    if splits and periods:
        raise invalid(f"periods cannot be combined with {splits[0][0]} splitting the columns by option")
    split = None
    if splits:
        category = splits[0][1]
        split = Split(category_id=category.id,
                      options=tuple((o.id, o.name) for o in category.options if o.status != "DELETED"))
    return Selection(options=tuple(options), split=split)


async def for_balance_sheet(books: Books, params: Parameters) -> Selection:
    """The BalanceSheet tracking selection: ``trackingOptionID1`` and ``trackingOptionID2`` filters.

    Raises:
        ValidationException: an option id that is not an option of the organisation.
    """
    names: Sequence[str] = ("trackingOptionID1", "trackingOptionID2")
    wanted = [(name, params.guid(name)) for name in names]
    if not any(option_id for _, option_id in wanted):
        return Selection()
    catalogue = await Catalogue.load(books)
    options = []
    for name, option_id in wanted:
        if option_id:
            _option_category(catalogue, name, option_id)
            options.append(option_id)
    return Selection(options=tuple(options))
