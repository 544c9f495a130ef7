"""The double-entry ledger and its rules: journal posting (:mod:`.posting`), tax maths and tax rules, lock dates
and the kinds of money documents (:mod:`.doctypes`)."""
