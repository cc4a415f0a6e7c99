"""The pages of quality evaluation, one module per sub-domain (`framework`, `cycles`,
`self_assessments`, `evaluations`, `issues`, `enforcement`, `results`); `common` holds
what they share. `inspections/urls.py` names each view by its module."""
