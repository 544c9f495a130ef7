"""Check QBO JSON payloads against Intuit's XSDs (``/work/shared/contracts/qbo/xsd``, Apache-2.0).

QBO's JSON is the JAXB rendering of the XSD data model (SOURCE.txt: "JSON field names == XSD element names"). To
validate a JSON payload, it is converted to the XML infoset the XSD describes and encoded with ``xmlschema`` (which
orders the children by the XSD sequence and validates in the same pass). The mapping rules:

1. A JSON object is an element of the XSD type its key names in the parent's content model. A key the content model
   does not know is an error (it is reported as such, not dropped).
2. A key that the XSD type declares as an *attribute* becomes that attribute: ``domain``/``sparse``/``status`` on
   entities, ``name``/``type`` on ``ReferenceType``, ``value``/``id`` on report ``ColData``, ``type``/``group`` on
   report ``Row``, ``code``/``element`` on ``Error``, ``startPosition``/``maxResults``/``totalCount`` on
   ``QueryResponse``, ``bId`` on batch items, ``time`` on ``IntuitResponse``.
3. On a type with simple content (``ReferenceType``, ``TxnTypeEnum`` wrappers …) the JSON key ``value`` is the element
   text, unless the type declares an attribute called ``value``.
4. A JSON array is the repetition of the element (``"Line": [a, b]`` → ``<Line>a</Line><Line>b</Line>``); the XSD
   ``maxOccurs`` then bounds it.
5. ``null`` values are absent elements; ``true``/``false`` are ``xs:boolean``; numbers are written as JSON wrote them.
6. Substitution groups: inside ``QueryResponse``, ``BatchItemResponse`` and ``IntuitResponse`` the abstract
   ``IntuitObject`` is replaced by the entity element named by the key (``Invoice``, ``Customer`` …).
7. JAXB artefacts: an ``IntuitAnyType`` extension (``PurchaseEx``, ``LineEx`` …) arrives in JSON as
   ``{"any": [{"name": "{ns}NameValue", "declaredType": "….NameValue", "value": {…}}]}``; each item is the element
   its ``name`` gives, of the XSD type its ``declaredType`` names (upstream-contracts.md §1: "PurchaseEx and LineEx are
   JAXB NameValue artefacts, and they really appear in JSON").
8. Intuit's own JSON omits a few elements the XSD marks required; the converter supplies them empty so that the rest
   of the payload is still checked: ``TransferEx`` on Transfer, ``CreditCardPaymentEx`` on CreditCardPaymentTxn
   (verbatim Intuit samples Transfer.json ``*_intuit``), and the value of a ``CustomField`` that has none (Intuit's
   Invoice/SalesReceipt samples list ``{"DefinitionId", "Type", "Name"}`` only).
9. A whole response body (``{"Invoice": {…}, "time": …}``, ``{"QueryResponse": …}``, ``{"Fault": …}``,
   ``{"BatchItemResponse": […]}``, ``{"CDCResponse": […]}``) is an ``IntuitResponse``; a report body
   (``{"Header", "Columns", "Rows"}``) is a ``Report``.

``xmlschema`` is a test dependency (``pip install -e '.[test]'``); it is imported when a schema is first loaded.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

NAMESPACE = "http://schema.intuit.com/finance/v3"

#: Where the shared contract folder keeps the XSDs (``/work/shared/contracts/qbo/xsd``), relative to this repository.
DEFAULT_XSD_DIR = Path(__file__).resolve().parents[3] / "shared" / "contracts" / "qbo" / "xsd"


class XsdMismatch(ValueError):
    """The payload does not fit the XSD; ``str(error)`` names the path and the reason, ``path`` the dotted
    property path (``Invoice.Line.Foo``) where known."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


@functools.lru_cache(maxsize=2)
def load_schema(xsd_dir: str | None = None) -> Any:
    """Load ``IntuitRestServiceDef.xsd`` (which includes Finance.xsd and Report.xsd) once per directory.

    Args:
        xsd_dir: the folder with Intuit's XSDs; default :data:`DEFAULT_XSD_DIR`.

    Returns:
        an ``xmlschema.XMLSchema``.
    """
    import xmlschema

    folder = Path(xsd_dir) if xsd_dir else DEFAULT_XSD_DIR
    return xmlschema.XMLSchema(str(folder / "IntuitRestServiceDef.xsd"))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: Required-by-XSD elements Intuit's JSON leaves out (rule 8): XSD type → {element: value supplied}.
_SUPPLIED_WHEN_ABSENT: dict[str, dict[str, Any]] = {
    "Transfer": {"TransferEx": {}},
    "CreditCardPaymentTxn": {"CreditCardPaymentEx": {}},
}
_CUSTOM_FIELD_VALUES = ("StringValue", "BooleanValue", "DateValue", "NumberValue")


def _child_elements(xsd_type: Any) -> dict[str, Any]:
    content = getattr(xsd_type, "content", None)
    if content is None or not hasattr(content, "iter_elements"):
        return {}
    return {element.local_name: element for element in content.iter_elements()}


def _convert(schema: Any, value: Any, xsd_type: Any, path: str) -> Any:
    if xsd_type.is_simple():
        if isinstance(value, (dict, list)):
            raise XsdMismatch(f"{path}: a simple {xsd_type.local_name or 'value'} cannot be an object or array", path)
        return _scalar(value)
    attributes = xsd_type.attributes
    if xsd_type.has_simple_content():
        if not isinstance(value, dict):
            return _scalar(value)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if item is None:
                continue
            if key in attributes:
                out["@" + key] = _scalar(item)
            elif key == "value":
                out["$"] = _scalar(item)
            else:
                raise XsdMismatch(f"{path}.{key}: not an attribute of {xsd_type.local_name}", f"{path}.{key}")
        return out
    if not isinstance(value, dict):
        raise XsdMismatch(f"{path}: {xsd_type.local_name} must be an object", path)
    children = _child_elements(xsd_type)
    if set(value) == {"any"} and isinstance(value["any"], list) and not any(children):
        return _jaxb_any(schema, value["any"], path)
    value = _supply_absent(xsd_type.local_name, value)
    out = {}
    for key, item in value.items():
        if item is None:
            continue
        if key in attributes:
            out["@" + key] = _scalar(item)
            continue
        element = children.get(key)
        if element is None:
            element = _substitute(schema, children, key)
        if element is None:
            raise XsdMismatch(f"{path}.{key}: not an element of {xsd_type.local_name or 'this type'}", f"{path}.{key}")
        items = item if isinstance(item, list) else [item]
        converted = [_convert(schema, one, element.type, f"{path}.{key}") for one in items]
        out[key] = converted if isinstance(item, list) else converted[0]
    order = {name: index for index, name in enumerate(children)}
    return dict(sorted(out.items(), key=lambda pair: (not pair[0].startswith("@"), order.get(pair[0], len(order)))))


def _supply_absent(type_name: str | None, value: dict[str, Any]) -> dict[str, Any]:
    supplied = _SUPPLIED_WHEN_ABSENT.get(type_name or "", {})
    missing = {key: item for key, item in supplied.items() if key not in value}
    if type_name == "CustomField" and not any(key in value for key in _CUSTOM_FIELD_VALUES):
        missing["StringValue"] = ""
    return {**value, **missing} if missing else value


def _jaxb_any(schema: Any, items: list[Any], path: str) -> dict[str, Any]:
    out: dict[str, list[Any]] = {}
    for item in items:
        if not isinstance(item, dict) or "name" not in item:
            raise XsdMismatch(f"{path}.any: a JAXB item needs a 'name'")
        local = str(item["name"]).split("}")[-1]
        declared = str(item.get("declaredType") or local).split(".")[-1]
        xsd_type = schema.types.get(declared)
        body = item.get("value")
        out.setdefault(local, []).append(_convert(schema, body, xsd_type, f"{path}.{local}") if xsd_type else body)
    return out


def _substitute(schema: Any, children: dict[str, Any], key: str) -> Any:
    """The global element ``key`` when it may stand for an abstract head (``IntuitObject``) among ``children``."""
    candidate = schema.elements.get(key)
    if candidate is None:
        return None
    heads = {name for name, element in children.items() if element.abstract}
    head = candidate.substitution_group
    while head is not None:
        local = head.split("}")[-1]
        if local in heads:
            return candidate
        parent = schema.elements.get(local)
        head = parent.substitution_group if parent is not None else None
    return None


def to_infoset(payload: dict[str, Any], *, root: str = "IntuitResponse", xsd_dir: str | None = None) -> dict:
    """Convert a QBO JSON payload to ``xmlschema``'s dict form for the element ``root`` (rules in the module doc).

    Raises:
        XsdMismatch: a key the XSD does not know, or an object where a scalar belongs.
    """
    schema = load_schema(xsd_dir)
    element = schema.elements[root]
    return _convert(schema, payload, element.type, root)


def validate(payload: dict[str, Any], *, root: str | None = None, xsd_dir: str | None = None) -> None:
    """Validate one QBO JSON body against the XSDs.

    Args:
        payload: a response body (``{"Invoice": {…}, "time": …}``, a query, batch, CDC or fault body) or a report
            (``{"Header", "Columns", "Rows"}``).
        root: the XSD element to validate as; default ``Report`` for report bodies, ``IntuitResponse`` otherwise.
        xsd_dir: the XSD folder (default :data:`DEFAULT_XSD_DIR`).

    Raises:
        XsdMismatch: the payload breaks the XSD (unknown element, wrong order impossible to fix, bad enum value,
            bad date, missing required element …).
    """
    import xmlschema

    if root is None:
        root = "Report" if "Header" in payload and "Rows" in payload else "IntuitResponse"
    schema = load_schema(xsd_dir)
    data = to_infoset(payload, root=root, xsd_dir=xsd_dir)
    try:
        schema.encode(data, path=root, namespaces={"": NAMESPACE}, validation="strict")
    except (xmlschema.XMLSchemaValidationError, xmlschema.XMLSchemaEncodeError) as error:
        raise XsdMismatch(f"{root}: {error.reason or error}") from None


def check_properties(entity: str, body: dict[str, Any], *, xsd_dir: str | None = None) -> None:
    """Check that a request body names only properties the XSD gives ``entity`` (rules 1-3, 7); required
    elements and value types are not checked (requests legitimately omit Id, MetaData …).

    Raises:
        XsdMismatch: with ``path`` the first unknown property (``Line.SalesItemLineDetail.Foo``).
        KeyError: ``entity`` is not an XSD element.
    """
    schema = load_schema(xsd_dir)
    _convert(schema, body, schema.elements[entity].type, entity)


def element_names(entity: str, *, xsd_dir: str | None = None) -> set[str]:
    """The child element and attribute names the XSD gives ``entity`` (query property checks)."""
    schema = load_schema(xsd_dir)
    xsd_type = schema.elements[entity].type
    return {name for name in _child_elements(xsd_type) if name} | set(xsd_type.attributes)
