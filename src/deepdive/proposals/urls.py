from . import urls_manage, urls_member

app_name = "proposals"
# Member pages (submission, co-submission) and the secretariat's pages (table, export).
urlpatterns = [*urls_member.urlpatterns, *urls_manage.urlpatterns]
