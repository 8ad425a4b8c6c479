import base64

import django.utils.timezone
from django.db import migrations, models

BATCH = 5000


def chain_existing_rows(apps, schema_editor):
    """Chain the rows written before the chain existed, in id order."""
    from brik.audit import chain
    from brik.protection import crypto

    using = schema_editor.connection.alias
    ActionLog = apps.get_model("audit", "ActionLog")
    stored = apps.get_model("protection", "Database").objects.using(using).get(pk=1).audit_key
    key = base64.urlsafe_b64decode(crypto.decrypt(stored))
    names = ("id", *chain.CONTENT[1:])
    sequence, prev, last_id = 0, chain.GENESIS, 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            page = list(
                ActionLog.objects.using(using)
                .filter(id__gt=last_id)
                .order_by("id")
                .values_list(*names)[:BATCH]
            )
            if not page:
                break
            updates = []
            for values in page:
                row = dict(zip(names, values, strict=True))
                sequence += 1
                row["sequence"] = sequence
                row_hash = chain.link_hash(key, prev, chain.content_mac(key, row))
                updates.append((sequence, prev, row_hash, row["id"]))
                prev = row_hash
            cursor.executemany(
                "UPDATE audit_actionlog SET sequence = %s, prev_hash = %s, row_hash = %s "
                "WHERE id = %s",
                updates,
            )
            last_id = page[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_actionlog_changes"),
        ("protection", "0001_database"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actionlog",
            name="created_at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="when",
            ),
        ),
        migrations.AddField(
            model_name="actionlog",
            name="sequence",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="sequence number"),
        ),
        migrations.AddField(
            model_name="actionlog",
            name="prev_hash",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="previous row's hash",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="actionlog",
            name="row_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="row hash"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
    ]
