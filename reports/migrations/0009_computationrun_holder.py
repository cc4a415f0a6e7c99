from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_reporting_completeness"),
    ]

    operations = [
        migrations.AddField(
            model_name="computationrun",
            name="holder_host",
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name="运行主机"),
        ),
        migrations.AddField(
            model_name="computationrun",
            name="holder_pid",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True, verbose_name="进程号"),
        ),
    ]
