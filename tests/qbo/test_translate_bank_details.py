"""Bank details on every QBO bank record (issue 12): a BankTransaction's, BankTransfer's and Payment's account carries
its AccountID, Code and Name, on the recorded samples (shared/contracts/qbo/samples, never edited)."""

from __future__ import annotations

from adapters.qbo.translate.banking import bank_transaction_to_xero, bank_transfer_to_xero
from adapters.qbo.translate.payments import payments_to_xero

from .translation_support import account, entity, guid, tx

PAYMENT_DOCUMENTS = {("Invoice", "67"): {"Id": "67", "DocNumber": "1021"}}


def test_an_account_the_realm_did_not_list_is_named_from_its_reference():
    # Transfer.json's accounts 35 "Checking" and 36 "Savings" are not among the accounts read here.
    transfer = bank_transfer_to_xero(entity("Transfer", "read_response_intuit"), tx())
    assert (transfer.FromBankAccount.AccountID, transfer.FromBankAccount.Name) == (guid("Account", "35"), "Checking")
    assert (transfer.ToBankAccount.AccountID, transfer.ToBankAccount.Name) == (guid("Account", "36"), "Savings")


def test_the_realm_s_account_wins_over_the_reference_name():
    t = tx(accounts=[account("35", "Main checking", "Bank", code="1000"),
                     account("36", "Savings", "Bank", code="1010")])
    transfer = bank_transfer_to_xero(entity("Transfer", "read_response_intuit"), t)
    assert (transfer.FromBankAccount.Code, transfer.FromBankAccount.Name) == ("1000", "Main checking")
    assert transfer.ToBankAccount.Code == "1010"


def test_bank_transactions_and_payments_carry_id_code_and_name():
    t = tx(accounts=[account("4", "Undeposited Funds", "Other Current Asset", code="1200",
                             sub_type="UndepositedFunds"),
                     account("35", "Checking", "Bank", code="1000")])
    deposit = bank_transaction_to_xero(entity("Deposit", "create_response_intuit"), "Deposit", t)
    assert (deposit.BankAccount.AccountID, deposit.BankAccount.Code, deposit.BankAccount.Name) == (
        guid("Account", "35"), "1000", "Checking")
    (bill_payment,) = payments_to_xero(entity("BillPayment", "object_sample"), "BillPayment", t, documents={})
    assert (bill_payment.Account.Code, bill_payment.Account.Name) == ("1000", "Checking")


def test_a_payment_without_a_deposit_account_is_in_undeposited_funds():
    # Intuit's Payment.DepositToAccountRef: "If you do not specify this account, payment is applied to the
    # Undeposited Funds account".
    t = tx(accounts=[account("4", "Undeposited Funds", "Other Current Asset", code="1200",
                             sub_type="UndepositedFunds")])
    row = {k: v for k, v in entity("Payment", "object_sample").items() if k != "DepositToAccountRef"}
    (payment,) = payments_to_xero(row, "Payment", t, documents=PAYMENT_DOCUMENTS)
    assert (payment.Account.AccountID, payment.Account.Code, payment.Account.Name) == (
        guid("Account", "4"), "1200", "Undeposited Funds")
    assert payment.HasAccount is True


def test_a_receipt_without_a_deposit_account_is_in_undeposited_funds():
    t = tx(accounts=[account("4", "Undeposited Funds", "Other Current Asset", code="1200",
                             sub_type="UndepositedFunds")])
    row = {k: v for k, v in entity("SalesReceipt", "object_sample").items() if k != "DepositToAccountRef"}
    receipt = bank_transaction_to_xero(row, "SalesReceipt", t)
    assert (receipt.BankAccount.AccountID, receipt.BankAccount.Name) == (guid("Account", "4"), "Undeposited Funds")
