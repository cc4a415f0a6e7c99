"""What the staff demo seeders share."""

CHANGE_REASON = "演示数据"
DEMO_CODE_PREFIX = "DEMO-"
