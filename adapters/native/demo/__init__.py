"""The deterministic demo company seeded on first start (:mod:`.company`), with its catalogue, money documents and
workflow documents (:mod:`.catalogue`, :mod:`.documents`, :mod:`.workflow`)."""
