"""What the inspections tables share."""

DATE = "Y-m-d"  # the date format of every list column
