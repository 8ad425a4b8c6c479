from django.conf import settings
from django.db import migrations, models


def create_the_row(apps, schema_editor):
    """The key check value and the audit key, under the keys configured now.

    Refuses keys that cannot decrypt the data already stored: a wrong key must
    not become the database's check value.
    """
    from brik.protection import crypto, keycheck

    using = schema_editor.connection.alias
    sample = keycheck.encrypted_sample(using, models=apps.get_models())
    if sample is not None and not keycheck.decrypts(sample, settings.ENCRYPTION_KEYS):
        raise RuntimeError(keycheck.WRONG_KEYS)
    apps.get_model("protection", "Database").objects.using(using).create(
        pk=1,
        key_check=crypto.encrypt(keycheck.KEY_CHECK_TEXT),
        index_check=keycheck.index_check_value(),
        audit_key=crypto.encrypt(keycheck.new_audit_key()),
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Database',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key_check', models.TextField(blank=True, verbose_name='key check value')),
                ('index_check', models.CharField(blank=True, max_length=64, verbose_name='blind index check value')),
                ('audit_key', models.TextField(verbose_name='audit chain key')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'database',
                'verbose_name_plural': 'database',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='database_single_row')],
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
