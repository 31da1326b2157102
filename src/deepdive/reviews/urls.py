from . import urls_assignment, urls_pool, urls_reviewing

app_name = "reviews"
urlpatterns = [*urls_pool.urlpatterns, *urls_assignment.urlpatterns, *urls_reviewing.urlpatterns]
