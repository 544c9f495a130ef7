"""Xero Accounting API objects as Pydantic models: the gateway's canonical model.

Field names are Xero's own (PascalCase), from ``components.schemas`` of ``xero_accounting.yaml`` (v16.1.0).
Conventions:

- Money and quantities are ``Decimal`` (never float); JSON renders them as numbers.
- Fields marked ``x-is-msdate`` are :data:`MsDate` (a calendar ``date``), ``x-is-msdate-time`` are
  :data:`MsDateTime` (aware UTC ``datetime``); JSON renders both as ``/Date(ms+0000)/`` and, where Xero sends one,
  a companion ISO ``…String`` field (``DateString``, ``DueDateString``, ``UpdatedDateUTCString``).
- Every field is optional: the same model serves requests (partial) and responses. Rendering drops ``None``.
- Unknown fields in requests are ignored, as Xero ignores them.
- Enumerated values stay ``str`` here; adapters validate them against the spec's enums and answer Xero-shaped
  ``ValidationException`` messages (a Pydantic error message is not what Xero clients expect).

Use :func:`dump` to render any model or list of models for the wire.
"""



from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer, model_serializer

from ..dates import parse_date, parse_datetime, to_companion_string, to_msdate


def _money_out(value: Decimal) -> float | int:
    # Amounts carry at most 4 decimal places and 15 significant digits, which float's shortest repr renders
    # digit for digit; clients (xero-python) parse the JSON number back as Decimal.
    return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else float(value)


#: Largest magnitude of an amount or quantity: 99,999,999,999.9999. Ours (Xero documents none): 11 whole digits and
#: 4 decimal places are 15 significant digits, which a double (SQLite's storage of NUMERIC, :func:`_money_out`'s
#: rendering) holds exactly, and products and tax sums of such values stay within ``decimal``'s 28 digits.
MAX_MONEY = Decimal("99999999999.9999")


def _bounded(value: Decimal) -> Decimal:
    if abs(value) > MAX_MONEY:
        raise ValueError(f"must be between -{MAX_MONEY} and {MAX_MONEY}")
    return value


def _percentage(value: Decimal) -> Decimal:
    # A discount is a share of the line: 0 to 100 percent (Xero: "Percentage discount being applied to a line
    # item", spec LineItem.DiscountRate; the bounds themselves are ours).
    if not 0 <= value <= 100:
        raise ValueError("must be between 0 and 100")
    return value


def _positive(value: Decimal) -> Decimal:
    # An exchange rate is units of the document's currency per unit of the base currency: above zero (ours).
    if value <= 0:
        raise ValueError("must be greater than 0")
    return _bounded(value)


Money = Annotated[Decimal, AfterValidator(_bounded), PlainSerializer(_money_out, when_used="json")]
#: ``DiscountRate``: a percentage from 0 to 100.
Percentage = Annotated[Decimal, AfterValidator(_percentage), PlainSerializer(_money_out, when_used="json")]
#: ``CurrencyRate``: above zero, within :data:`MAX_MONEY`.
Rate = Annotated[Decimal, AfterValidator(_positive), PlainSerializer(_money_out, when_used="json")]
MsDate = Annotated[date, BeforeValidator(lambda v: parse_date(v) if v is not None else None),
                   PlainSerializer(to_msdate, when_used="json")]
MsDateTime = Annotated[datetime, BeforeValidator(lambda v: parse_datetime(v) if v is not None else None),
                       PlainSerializer(to_msdate, when_used="json")]


class XeroModel(BaseModel):
    """Base of every Xero object.

    A subclass that lists ``companions`` (msdate field → ISO companion field rendered next to it in JSON) derives
    from :class:`DatedModel`, which renders them; the others keep pydantic's own serializer, without a Python call
    for every line, contact or tracking entry of a page (issue 10).

    A model its owner will never change again may keep its JSON rendering (:func:`remember_dump`); assigning any
    field drops it.

    Raises:
        TypeError: at class creation, a subclass lists ``companions`` but is not a :class:`DatedModel`.
    """

    # The remembered rendering (unset until remember_dump): a slot, outside the fields, copies and pickles.
    __slots__ = ("_xero_wire",)
    model_config = ConfigDict(extra="ignore", populate_by_name=True, validate_assignment=False)
    companions: ClassVar[dict[str, str]] = {}
    #: Whether some instance of the class was ever remembered (only then does :func:`dump` look for a rendering:
    #: reading an unset slot raises, which costs more than a plain dump of a small model).
    remembers: ClassVar[bool] = False

    def __setattr__(self, name: str, value: Any) -> None:
        if name != "_xero_wire":
            object.__setattr__(self, "_xero_wire", None)  # a changed model renders afresh
        super().__setattr__(name, value)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.companions and not issubclass(cls, DatedModel):
            raise TypeError(f"{cls.__name__} lists companions: derive it from DatedModel, which renders them")


class DatedModel(XeroModel):
    """A Xero object with ISO date companions (``DateString``…) beside its msdate fields in JSON."""

    @model_serializer(mode="wrap")
    def _with_companions(self, handler: Any, info: Any) -> dict[str, Any]:
        data = handler(self)
        if info.mode == "json":
            for field, companion in self.companions.items():
                value = getattr(self, field, None)
                if value is not None:
                    data[companion] = to_companion_string(companion, value)
        return data


def dump(obj: "XeroModel | list[XeroModel]") -> Any:
    """Render models for the JSON wire: MS dates, numbers for money, ``None`` fields dropped. A model's remembered
    rendering (:func:`remember_dump`) is returned as it is: callers serialise it, never change it."""
    if isinstance(obj, list):
        return [dump(o) for o in obj]
    if type(obj).remembers:
        try:
            wire = _WIRE.__get__(obj)  # the slot itself: a missing pydantic attribute costs tens of microseconds
        except AttributeError:  # this one was never remembered
            wire = None
        if wire is not None:
            return wire
    return obj.model_dump(mode="json", exclude_none=True)


_WIRE = XeroModel.__dict__["_xero_wire"]


def remember_dump(model: XeroModel) -> None:
    """Render ``model`` now and let every later :func:`dump` of it return that rendering.

    For models shared by many answers and never changed (the cache of translated records,
    adapters/qbo/translated.py): a page of 100 cached invoices then renders without pydantic's serializer
    (issue 10). Assigning a field of ``model`` drops the rendering (a field's own object changed in place is not
    seen: a remembered model must not be changed at all).
    """
    type(model).remembers = True
    object.__setattr__(model, "_xero_wire", model.model_dump(mode="json", exclude_none=True))


class ValidationError(XeroModel):
    Message: str


class Pagination(XeroModel):
    page: int
    pageSize: int  # noqa: N815  (Xero's own camelCase)
    pageCount: int  # noqa: N815
    itemCount: int  # noqa: N815


class Address(XeroModel):
    AddressType: str | None = None
    AddressLine1: str | None = None
    AddressLine2: str | None = None
    AddressLine3: str | None = None
    AddressLine4: str | None = None
    City: str | None = None
    Region: str | None = None
    PostalCode: str | None = None
    Country: str | None = None
    AttentionTo: str | None = None


class Phone(XeroModel):
    PhoneType: str | None = None
    PhoneNumber: str | None = None
    PhoneAreaCode: str | None = None
    PhoneCountryCode: str | None = None


class ContactPerson(XeroModel):
    FirstName: str | None = None
    LastName: str | None = None
    EmailAddress: str | None = None
    IncludeInEmails: bool | None = None


class Organisation(XeroModel):
    OrganisationID: str | None = None
    APIKey: str | None = None
    Name: str | None = None
    LegalName: str | None = None
    PaysTax: bool | None = None
    Version: str | None = None
    OrganisationType: str | None = None
    BaseCurrency: str | None = None
    CountryCode: str | None = None
    IsDemoCompany: bool | None = None
    OrganisationStatus: str | None = None
    RegistrationNumber: str | None = None
    TaxNumber: str | None = None
    FinancialYearEndDay: int | None = None
    FinancialYearEndMonth: int | None = None
    SalesTaxBasis: str | None = None
    SalesTaxPeriod: str | None = None
    DefaultSalesTax: str | None = None
    DefaultPurchasesTax: str | None = None
    PeriodLockDate: MsDate | None = None
    EndOfYearLockDate: MsDate | None = None
    CreatedDateUTC: MsDateTime | None = None
    Timezone: str | None = None
    OrganisationEntityType: str | None = None
    ShortCode: str | None = None
    Class: str | None = None
    Edition: str | None = None
    LineOfBusiness: str | None = None
    Addresses: list[Address] | None = None
    Phones: list[Phone] | None = None


class Account(XeroModel):
    AccountID: str | None = None
    Code: str | None = None
    Name: str | None = None
    Type: str | None = None
    BankAccountNumber: str | None = None
    Status: str | None = None
    Description: str | None = None
    BankAccountType: str | None = None
    CurrencyCode: str | None = None
    TaxType: str | None = None
    EnablePaymentsToAccount: bool | None = None
    ShowInExpenseClaims: bool | None = None
    Class: str | None = None
    SystemAccount: str | None = None
    ReportingCode: str | None = None
    ReportingCodeName: str | None = None
    HasAttachments: bool | None = None
    UpdatedDateUTC: MsDateTime | None = None
    AddToWatchlist: bool | None = None
    ValidationErrors: list[ValidationError] | None = None


class TaxComponent(XeroModel):
    Name: str | None = None
    Rate: Money | None = None
    IsCompound: bool | None = None
    IsNonRecoverable: bool | None = None


class TaxRate(XeroModel):
    Name: str | None = None
    TaxType: str | None = None
    TaxComponents: list[TaxComponent] | None = None
    Status: str | None = None
    ReportTaxType: str | None = None
    CanApplyToAssets: bool | None = None
    CanApplyToEquity: bool | None = None
    CanApplyToExpenses: bool | None = None
    CanApplyToLiabilities: bool | None = None
    CanApplyToRevenue: bool | None = None
    DisplayTaxRate: Money | None = None
    EffectiveRate: Money | None = None


class Currency(XeroModel):
    Code: str | None = None
    Description: str | None = None


class Balance(XeroModel):
    Outstanding: Money | None = None
    Overdue: Money | None = None


class Balances(XeroModel):
    AccountsReceivable: Balance | None = None
    AccountsPayable: Balance | None = None


_BalancesT = Balances  # a field below is named like its type


class Attachment(XeroModel):
    """An attached file's metadata (spec ``Attachment``)."""

    AttachmentID: str | None = None
    FileName: str | None = None
    Url: str | None = None
    MimeType: str | None = None
    ContentLength: int | None = None
    IncludeOnline: bool | None = None


class Contact(XeroModel):
    ContactID: str | None = None
    ContactNumber: str | None = None
    AccountNumber: str | None = None
    ContactStatus: str | None = None
    Name: str | None = None
    FirstName: str | None = None
    LastName: str | None = None
    CompanyNumber: str | None = None
    EmailAddress: str | None = None
    ContactPersons: list[ContactPerson] | None = None
    BankAccountDetails: str | None = None
    TaxNumber: str | None = None
    AccountsReceivableTaxType: str | None = None
    AccountsPayableTaxType: str | None = None
    Addresses: list[Address] | None = None
    Phones: list[Phone] | None = None
    IsSupplier: bool | None = None
    IsCustomer: bool | None = None
    DefaultCurrency: str | None = None
    SalesDefaultAccountCode: str | None = None
    PurchasesDefaultAccountCode: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    Balances: _BalancesT | None = None
    HasAttachments: bool | None = None
    Attachments: list[Attachment] | None = None
    HasValidationErrors: bool | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None


class LineItemTracking(XeroModel):
    TrackingCategoryID: str | None = None
    TrackingOptionID: str | None = None
    Name: str | None = None
    Option: str | None = None


class LineItem(XeroModel):
    LineItemID: str | None = None
    Description: str | None = None
    Quantity: Money | None = None
    UnitAmount: Money | None = None
    ItemCode: str | None = None
    AccountCode: str | None = None
    AccountID: str | None = None
    TaxType: str | None = None
    TaxAmount: Money | None = None
    LineAmount: Money | None = None
    DiscountRate: Percentage | None = None
    DiscountAmount: Money | None = None
    Tracking: list[LineItemTracking] | None = None


_ContactT = Contact  # fields below are named like their type


class InvoiceRef(XeroModel):
    """The invoice as embedded in a Payment (``Payment.Invoice``)."""

    InvoiceID: str | None = None
    InvoiceNumber: str | None = None
    Type: str | None = None
    Contact: _ContactT | None = None
    CurrencyCode: str | None = None


class AccountRef(XeroModel):
    """The account as embedded in a Payment (``Payment.Account``): by ``AccountID`` or ``Code``."""

    AccountID: str | None = None
    Code: str | None = None
    Name: str | None = None


class Payment(DatedModel):
    companions: ClassVar[dict[str, str]] = {"UpdatedDateUTC": "UpdatedDateUTCString"}

    PaymentID: str | None = None
    Invoice: InvoiceRef | None = None
    InvoiceNumber: str | None = None
    Account: AccountRef | None = None
    Code: str | None = None
    Date: MsDate | None = None
    CurrencyRate: Rate | None = None
    Amount: Money | None = None
    BankAmount: Money | None = None
    Reference: str | None = None
    IsReconciled: bool | None = None
    Status: str | None = None
    PaymentType: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    BatchPaymentID: str | None = None
    HasAccount: bool | None = None
    HasValidationErrors: bool | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None


class Invoice(DatedModel):
    companions: ClassVar[dict[str, str]] = {
        "Date": "DateString", "DueDate": "DueDateString", "UpdatedDateUTC": "UpdatedDateUTCString"}

    InvoiceID: str | None = None
    Type: str | None = None
    Contact: _ContactT | None = None
    LineItems: list[LineItem] | None = None
    Date: MsDate | None = None
    DueDate: MsDate | None = None
    LineAmountTypes: str | None = None
    InvoiceNumber: str | None = None
    Reference: str | None = None
    BrandingThemeID: str | None = None
    Url: str | None = None
    CurrencyCode: str | None = None
    CurrencyRate: Rate | None = None
    Status: str | None = None
    SentToContact: bool | None = None
    ExpectedPaymentDate: MsDate | None = None
    PlannedPaymentDate: MsDate | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    TotalDiscount: Money | None = None
    HasAttachments: bool | None = None
    Attachments: list[Attachment] | None = None
    IsDiscounted: bool | None = None
    Payments: list[Payment] | None = None
    AmountDue: Money | None = None
    AmountPaid: Money | None = None
    FullyPaidOnDate: MsDate | None = None
    AmountCredited: Money | None = None
    UpdatedDateUTC: MsDateTime | None = None
    HasErrors: bool | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None
    Warnings: list[ValidationError] | None = None
