"""API documents generated from the code: route declarations (``operation``), seed 004's
envelopes (``envelopes``) and the document itself (``document``)."""
