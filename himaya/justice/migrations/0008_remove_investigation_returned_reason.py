# The reason of an investigation's latest return now lives in its hand-offs (0007 copied it),
# in a migration of its own: on PostgreSQL the table is not altered in the transaction that
# wrote the hand-offs.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("justice", "0007_investigation_handoffs"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="investigation",
            name="returned_reason",
        ),
    ]
