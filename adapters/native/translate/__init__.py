"""Between the ledger's rows and Xero's canonical models: rows → models (:mod:`.core`, :mod:`.documents`), Xero
fields → SQL columns for the list push-down (:mod:`.fieldmaps`), Xero line items → ledger lines (:mod:`.doclines`)."""
