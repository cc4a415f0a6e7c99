# The user's two-factor flag (accounts.two_factor.has_authenticator), set from the authenticators
# confirmed before it existed.

from django.db import migrations, models


def set_from_devices(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    users = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    User.objects.filter(pk__in=users).update(otp_enabled=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_security_event"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="otp_enabled",
            field=models.BooleanField(default=False, editable=False, verbose_name="已启用两步验证"),
        ),
        migrations.RunPython(set_from_devices, migrations.RunPython.noop),
    ]
