"""Reports computed in the gateway for sources without a reports endpoint of Xero's shape (Sage Accounting, Sage 50):
Xero's row/cell layout (:mod:`.layout`), report date rules (:mod:`.periods`) and the three statements built from
account balances (:mod:`.statements`)."""
