from django.contrib import admin

from brik.statistics.models import HistoricalFigure, Population, PublishedReport, Subscription


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ("year", "language", "published_at", "published_by")
    list_filter = ("language",)
    exclude = ("pdf", "html", "xlsx")
    readonly_fields = (
        "year",
        "language",
        "published_at",
        "published_by",
        "title",
        "key_figures",
        "summary",
    )

    def has_add_permission(self, request):
        return False  # published from the statistics page, which builds the files


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "language", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = ("language",)
    search_fields = ("email",)
    readonly_fields = ("consent_text", "created_at", "confirmed_at", "unsubscribed_at")


@admin.register(HistoricalFigure)
class HistoricalFigureAdmin(admin.ModelAdmin):
    """The centre's yearly totals from before Brik, with their source (records "since 2007")."""

    list_display = ("measure", "year", "value", "source")
    list_filter = ("measure",)


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    """Denmark's population on 1 January, for the rates per 100,000 inhabitants."""

    list_display = ("year", "population", "source")
