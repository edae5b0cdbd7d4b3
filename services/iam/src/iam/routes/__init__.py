"""iam's HTTP routes: parse, check the caller, call a use case, answer in the envelope."""
