"""Xero's Employees (``/Employees``), which Xero has removed from its current spec but xero-python 6.x and
xero-node's sample app still call: spec ``Employee`` and ``ExternalLink`` of ``xero_accounting.yaml`` v12.0.2, kept as
data in ``mappings/xero_employees.toml`` (repository, path and commit there). Conventions of
:mod:`gateway.xero.models.core` apply."""

from .core import MsDateTime, ValidationError, XeroModel


class ExternalLink(XeroModel):
    """Spec ``ExternalLink``: a link of the employee (``LinkType`` one of Facebook, GooglePlus, LinkedIn, Twitter,
    Website)."""

    LinkType: str | None = None
    Url: str | None = None
    Description: str | None = None


_Link = ExternalLink  # the field below shadows the class name inside Employee


class Employee(XeroModel):
    """Spec ``Employee`` (v12.0.2): ``Status`` one of ACTIVE, ARCHIVED, GDPRREQUEST, DELETED."""

    EmployeeID: str | None = None
    Status: str | None = None
    FirstName: str | None = None
    LastName: str | None = None
    ExternalLink: _Link | None = None
    UpdatedDateUTC: MsDateTime | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None
