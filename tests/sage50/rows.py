"""A small Sage 50 company as ODBC rows (column names of shared/contracts/sage50/odbc-schema.json), as the
connector sends them: dates ISO, amounts decimal strings, signed as Sage stores them.

It holds sage50.md §9.5's golden SI (ABS001, net 12.56, tax 2.43 at T1, N/C 4000, Dept 1: the stored tax is not
20 % of net), a receipt allocated to it in part, a purchase invoice, and a customer who is also a supplier.
"""

from __future__ import annotations

STAMP = "2026-11-30T09:00:00"

COMPANY = [{"COMPANYID": 1, "NAME": "Stationery & Computer Mart UK", "ADDRESS_1": "Wallace House",
            "ADDRESS_2": "4 Gordon Road", "ADDRESS_3": "", "ADDRESS_4": "Newcastle", "ADDRESS_5": "NE7 7LZ",
            "TELEPHONE": "0191 955 3000", "VAT_REG_NUMBER": "GB999999973", "COUNTRY_CODE": "GB", "START_MONTH": 4,
            "FINANCIAL_YEAR": 2026, "CLOSED_LEDGER_DATE_ENABLED": 1, "CLOSED_LEDGER_CHECK_DATE": "2026-03-31",
            "RECORD_CREATE_DATE": "2020-01-02T10:00:00", "RECORD_MODIFY_DATE": STAMP}]
NOMINAL_LEDGER = [
    {"ACCOUNT_REF": ref, "NAME": name, "BALANCE": "0", "INACTIVE_FLAG": 0, "RECORD_MODIFY_DATE": STAMP}
    for ref, name in (("0030", "Office Equipment"), ("1100", "Debtors Control Account"),
                      ("1200", "Bank Current Account"), ("2100", "Creditors Control Account"),
                      ("2200", "Sales Tax Control Account"), ("2201", "Purchase Tax Control Account"),
                      ("3200", "Profit and Loss Account"), ("4000", "Sales Type A"),
                      ("5000", "Materials Purchased"), ("7502", "Office Stationery"))]
BANK = [{"ACCOUNT_REF": "1200", "NAME": "Bank Current Account", "SORT_CODE": "20-32-06",
         "ACCOUNT_NUMBER": "40312087", "CURRENCY": 1, "RECORD_MODIFY_DATE": STAMP}]
TAX_CODE = [{"TAX_CODE_ID": 0, "TAX_CODE": "T0", "DESCRIPTION": "Zero rated", "TAX_RATE": "0"},
            {"TAX_CODE_ID": 1, "TAX_CODE": "T1", "DESCRIPTION": "Standard rate", "TAX_RATE": "20"},
            {"TAX_CODE_ID": 9, "TAX_CODE": "T9", "DESCRIPTION": "Transactions not involving VAT", "TAX_RATE": "0"}]
CURRENCY = [{"NUMBER": 1, "CODE": "GBP", "NAME": "Pound Sterling", "BASE_CURRENCY": 1, "RATE": "1",
             "RECORD_MODIFY_DATE": STAMP}]
DEPARTMENT = [{"NUMBER": 1, "NAME": "Sales North", "RECORD_MODIFY_DATE": STAMP}]
SALES_LEDGER = [
    {"ACCOUNT_REF": "ABS001", "NAME": "A1 Design Services", "ADDRESS_1": "67a Station Road", "ADDRESS_4": "Blyth",
     "ADDRESS_5": "NE24 2DL", "CONTACT_NAME": "Jim Thorpe", "TELEPHONE": "01670 354 123",
     "E_MAIL": "jim@a1design.example", "BALANCE": "4.99", "CURRENCY": 1, "DEF_NOM_CODE": "4000",
     "DEF_TAX_CODE": "T1", "INACTIVE_FLAG": 0, "RECORD_MODIFY_DATE": STAMP},
    {"ACCOUNT_REF": "BBS001", "NAME": "Bobs Building Supplies", "BALANCE": "0", "CURRENCY": 1,
     "INACTIVE_FLAG": 0, "RECORD_MODIFY_DATE": STAMP}]
PURCHASE_LEDGER = [
    {"ACCOUNT_REF": "BBS001", "NAME": "Bobs Building Supplies", "BALANCE": "120.00", "CURRENCY": 1,
     "DEF_NOM_CODE": "5000", "DEF_TAX_CODE": "T1", "INACTIVE_FLAG": 0, "RECORD_MODIFY_DATE": STAMP},
    {"ACCOUNT_REF": "SUP001", "NAME": "Superclean Ltd", "BALANCE": "0", "CURRENCY": 1, "INACTIVE_FLAG": 1,
     "RECORD_MODIFY_DATE": STAMP}]
AUDIT_HEADER = [
    {"HEADER_NUMBER": 1, "TYPE": "SI", "ACCOUNT_REF": "ABS001", "DATE": "2026-10-01", "DUE_DATE": "2026-10-31",
     "INV_REF": "24", "DETAILS": "Consultancy", "NET_AMOUNT": "12.56", "TAX_AMOUNT": "2.43", "GROSS_AMOUNT": "14.99",
     "AMOUNT_PAID": "10.00", "OUTSTANDING": "4.99", "PAID_FLAG": "N", "DELETED_FLAG": 0, "CURRENCY": 1,
     "FOREIGN_RATE": "1", "RECORD_MODIFY_DATE": STAMP},
    {"HEADER_NUMBER": 2, "TYPE": "SR", "ACCOUNT_REF": "ABS001", "BANK_CODE": "1200", "DATE": "2026-10-15",
     "INV_REF": "BACS", "DETAILS": "Receipt", "NET_AMOUNT": "-10.00", "TAX_AMOUNT": "0", "GROSS_AMOUNT": "-10.00",
     "AMOUNT_PAID": "-10.00", "OUTSTANDING": "0", "PAID_FLAG": "Y", "DELETED_FLAG": 0, "CURRENCY": 1,
     "RECORD_MODIFY_DATE": STAMP},
    {"HEADER_NUMBER": 3, "TYPE": "PI", "ACCOUNT_REF": "BBS001", "DATE": "2026-11-02", "DUE_DATE": "2026-12-02",
     "INV_REF": "BB-778", "DETAILS": "Paper", "NET_AMOUNT": "-100.00", "TAX_AMOUNT": "-20.00",
     "GROSS_AMOUNT": "-120.00", "AMOUNT_PAID": "0", "OUTSTANDING": "-120.00", "PAID_FLAG": "N", "DELETED_FLAG": 0,
     "CURRENCY": 1, "RECORD_MODIFY_DATE": STAMP}]
AUDIT_SPLIT = [
    {"TRAN_NUMBER": 1, "HEADER_NUMBER": 1, "TYPE": "SI", "ACCOUNT_REF": "ABS001", "NOMINAL_CODE": "4000",
     "DETAILS": "Consultancy", "DATE": "2026-10-01", "NET_AMOUNT": "12.56", "TAX_AMOUNT": "2.43", "TAX_CODE": "T1",
     "DEPT_NUMBER": 1, "OUTSTANDING": "4.99", "RECORD_MODIFY_DATE": STAMP},
    {"TRAN_NUMBER": 2, "HEADER_NUMBER": 2, "TYPE": "SR", "ACCOUNT_REF": "ABS001", "NOMINAL_CODE": "1200",
     "DETAILS": "Receipt", "DATE": "2026-10-15", "NET_AMOUNT": "-10.00", "TAX_AMOUNT": "0", "TAX_CODE": "T9",
     "RECORD_MODIFY_DATE": STAMP},
    {"TRAN_NUMBER": 3, "HEADER_NUMBER": 3, "TYPE": "PI", "ACCOUNT_REF": "BBS001", "NOMINAL_CODE": "7502",
     "DETAILS": "A4 paper", "DATE": "2026-11-02", "NET_AMOUNT": "-100.00", "TAX_AMOUNT": "-20.00", "TAX_CODE": "T1",
     "OUTSTANDING": "-120.00", "RECORD_MODIFY_DATE": STAMP}]
AUDIT_USAGE = [{"USAGE_NUMBER": 1, "TYPE": "SR", "SPLIT_NUMBER": 1, "SPLIT_CROSSREF": 2, "REFERENCE": "BACS",
                "DATE": "2026-10-15", "AMOUNT": "10.00", "DELETED_FLAG": 0, "RECORD_MODIFY_DATE": STAMP}]
#: The double entry of the three postings (debit positive), as Sage's AUDIT_JOURNAL holds it.
AUDIT_JOURNAL = [
    {"TRAN_NUMBER": tran, "NOMINAL_CODE": code, "HEADER_NUMBER": header, "TYPE": kind, "DATE": date,
     "AMOUNT": amount, "DETAILS": details, "DELETED_FLAG": 0, "RECORD_MODIFY_DATE": STAMP}
    for tran, header, kind, date, code, amount, details in (
        (1, 1, "SI", "2026-10-01", "1100", "14.99", "Consultancy"),
        (1, 1, "SI", "2026-10-01", "4000", "-12.56", "Consultancy"),
        (1, 1, "SI", "2026-10-01", "2200", "-2.43", "Consultancy"),
        (2, 2, "SR", "2026-10-15", "1200", "10.00", "Receipt"),
        (2, 2, "SR", "2026-10-15", "1100", "-10.00", "Receipt"),
        (3, 3, "PI", "2026-11-02", "7502", "100.00", "A4 paper"),
        (3, 3, "PI", "2026-11-02", "2201", "20.00", "A4 paper"),
        (3, 3, "PI", "2026-11-02", "2100", "-120.00", "A4 paper"))]

#: In protocol order (reference data, ledgers, transactions).
TABLES = {"COMPANY": COMPANY, "NOMINAL_LEDGER": NOMINAL_LEDGER, "TAX_CODE": TAX_CODE, "CURRENCY": CURRENCY,
          "DEPARTMENT": DEPARTMENT, "BANK": BANK, "SALES_LEDGER": SALES_LEDGER, "PURCHASE_LEDGER": PURCHASE_LEDGER,
          "AUDIT_HEADER": AUDIT_HEADER, "AUDIT_SPLIT": AUDIT_SPLIT, "AUDIT_USAGE": AUDIT_USAGE,
          "AUDIT_JOURNAL": AUDIT_JOURNAL}
