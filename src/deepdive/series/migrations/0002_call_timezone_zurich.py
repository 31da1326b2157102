# "Europe/Geneva" is not an IANA time zone name: Geneva keeps the time of Europe/Zurich.

import deepdive.series.models
from django.db import migrations, models


def geneva_to_zurich(apps, schema_editor):
    apps.get_model("series", "Call").objects.filter(timezone="Europe/Geneva").update(
        timezone="Europe/Zurich"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('series', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='call',
            name='timezone',
            field=models.CharField(default='Europe/Zurich', help_text='The opening and closing times are given in this zone.', max_length=64, validators=[deepdive.series.models.validate_zone], verbose_name='time zone of the call'),
        ),
        migrations.RunPython(geneva_to_zurich, migrations.RunPython.noop),
    ]
