"""``summarizeErrors=false``: a failed element is echoed with the fields the spec requires of it
(:mod:`gateway.xero.echo`), every answer validated against the spec by the ``http`` fixture."""

from __future__ import annotations


async def test_failed_elements_echo_the_fields_the_spec_requires(http):
    unknown_transfer = {"BankTransferID": "5c5e1b7e-8d1a-4e55-9a43-0f0c1b2b3c4d", "Status": "DELETED"}
    for method, path, collection, element, required in (
            ("PUT", "/BankTransactions", "BankTransactions", {}, ("Type", "LineItems", "BankAccount")),
            ("POST", "/BankTransfers", "BankTransfers", unknown_transfer, ("FromBankAccount", "ToBankAccount",
                                                                          "Amount")),
            ("PUT", "/Items", "Items", {"Name": "No code"}, ("Code",)),
            ("PUT", "/ManualJournals", "ManualJournals", {"Warnings": [{}]}, ("Narration",))):
        status, body = await http.call(method, path, params={"summarizeErrors": "false"},
                                       json={collection: [element]})
        assert status == 200, body
        (echo,) = body[collection]
        # the spec gives BankTransfer no StatusAttributeString
        assert echo.get("StatusAttributeString", "ERROR") == "ERROR" and echo["ValidationErrors"], echo
        assert all(name in echo for name in required), echo
        if collection == "BankTransfers":
            assert echo["Amount"] == 0
            assert echo["FromBankAccount"] == {"AccountID": "00000000-0000-0000-0000-000000000000"}
