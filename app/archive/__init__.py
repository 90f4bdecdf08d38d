"""Archive before purge (DOMAIN.md §9, rev. 2): a case the document management plan keeps
("bevaras") goes to the e-archive as an FGS package before retention may purge it here.

contents.py gathers the case's records (the documents as rendered, the attachments as filed);
erms.py describes the case in the FGS Ärendehantering metadata (E-ARK CITS ERMS); mets.py writes
the package's METS.xml (E-ARK CSIP and SIP); package.py puts them in a zip; delivery.py writes it
to the archive's folder or posts it to its address and records the delivery."""
