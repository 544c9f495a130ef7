"""``GET /v3/company/{realmId}/{entity}/{id}/pdf``: a sales form as a PDF (``application/pdf``).

QBO renders Invoice, Estimate, CreditMemo, SalesReceipt and RefundReceipt as PDFs (Intuit API reference: "Get … as
PDF" of each); other entities answer Fault 500 "Unsupported Operation". The emulator draws one plain page with
fpdf2: the form's title, number and date, the customer, one row per line (description and amount) and the total —
enough for a client to receive a real PDF of the record it asked for; QBO's own layout is not reproduced.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from fpdf import FPDF

from . import faults
from .api import service

#: Entity → the title QBO prints on the form.
TITLES = {"Invoice": "Invoice", "Estimate": "Estimate", "CreditMemo": "Credit Memo", "SalesReceipt": "Sales Receipt",
          "RefundReceipt": "Refund Receipt"}


def _latin(value: Any) -> str:
    return str(value if value is not None else "").encode("latin-1", "replace").decode("latin-1")


def render(entity: str, record: dict[str, Any]) -> bytes:
    """The PDF of one sales form."""
    pdf = FPDF(format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin(f"{TITLES[entity]} {record.get('DocNumber') or record['Id']}"), new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    customer = (record.get("CustomerRef") or {}).get("name") or (record.get("CustomerRef") or {}).get("value")
    pdf.cell(0, 6, _latin(f"Date: {record.get('TxnDate', '')}    Customer: {customer or ''}"), new_x="LMARGIN",
             new_y="NEXT")
    for line in record.get("Line") or []:
        if line.get("DetailType") == "SubTotalLineDetail":
            continue
        pdf.cell(150, 6, _latin(line.get("Description") or line.get("DetailType")))
        pdf.cell(0, 6, _latin(line.get("Amount")), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(150, 8, "Total")
    pdf.cell(0, 8, _latin(record.get("TotalAmt")), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


async def form_pdf(request: web.Request) -> web.Response:
    """The handler (module docstring). Raises QboFault: 500 for other entities, 610 for an unknown Id."""
    svc = service(request)
    spec = svc.spec(request.match_info["entity"])
    if spec.name not in TITLES:
        raise faults.unsupported_operation(f"GET /{request.match_info['entity']}/pdf")
    record = svc.read(spec, request.match_info["entity_id"])
    return web.Response(body=render(spec.name, record), content_type="application/pdf")


def add_routes(app: web.Application) -> None:
    """The PDF route (before the generic entity routes of :mod:`emulators.qbo.api`)."""
    app.router.add_get("/v3/company/{realm_id}/{entity}/{entity_id}/pdf", form_pdf)
