"""Pagers that stay short however many pages there are."""

from django.core.paginator import Page, Paginator


def page_links(page: Page, *, on_each_side: int = 2, on_ends: int = 1) -> list[int | None]:
    """The page numbers a pager shows for ``page``: the first and the last, and
    ``on_each_side`` around the current one; None where numbers are left out (an ellipsis).
    At most 2 × (``on_each_side`` + ``on_ends``) + 3 entries, whatever the number of pages."""
    return [
        None if number == Paginator.ELLIPSIS else number
        for number in page.paginator.get_elided_page_range(
            page.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
