from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='outboxmessage',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='claimed'),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, help_text='After a failed attempt, the message is not tried again before this time.', null=True, verbose_name='next attempt'),
        ),
    ]
